package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.pair.SyncPair;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * A writer changes the target between the moment the sync read it and the moment the sync writes:
 * the sync's (older) version must not replace the writer's (newer) one. The cycle is driven step
 * by step through the daemon's own routes so that the race happens every time, not by chance.
 */
class RaceIT {

    private static final Instant T0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

    @Test
    void elasticsearch_document_changed_after_the_read_is_not_overwritten_and_wins_next_cycle() throws Exception {
        try (TestStores stores = TestStores.fresh("race_es")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.index(id, Map.of("last_modified", Timestamps.format(T0), "name", "v1 in elasticsearch"));
            var read = stores.elasticsearch().get(g -> g.index(stores.index()).id(id.toString()), Map.class);
            SyncRecord targetAsRead = new SyncRecord(id, T0, Map.of("name", "v1 in elasticsearch"),
                    Side.ELASTICSEARCH, SyncRecord.Stamp.elasticsearch(read.seqNo(), read.primaryTerm()));
            SyncRecord winner = new SyncRecord(id, T0.plusSeconds(1), Map.of("name", "v2 in cassandra"),
                    Side.CASSANDRA);
            stores.insertInto("name").row(id, winner.lastModified(), "v2 in cassandra");

            Map<String, String> properties = new java.util.HashMap<>(stores.daemonProperties());
            properties.put("sync.period", "1h");
            try (RunningDaemon daemon = RunningDaemon.start(properties)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> daemon.lastCycle() != null);
                // the writer, between the sync's read (stamp above) and its write
                stores.index(id, Map.of("last_modified", Timestamps.format(T0.plusSeconds(2)),
                        "name", "v3 in elasticsearch"));

                SyncPair cycle = daemon.cycle();
                cycle.begin();
                cycle.toElasticsearch(winner, targetAsRead);
                cycle.commit();

                assertThat(cycle.lastCycle().conflicts()).isEqualTo(1);
                assertThat(cycle.lastCycle().writtenElasticsearch()).isZero();
                assertThat(stores.document(id).orElseThrow().get("name")).isEqualTo("v3 in elasticsearch");
            }
            // decided again on the next cycle: the writer's version is the newest, everywhere
            RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(stores.cassandraRow(id).orElseThrow().getString("name")).isEqualTo("v3 in elasticsearch");
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void cassandra_row_changed_after_the_read_is_not_overwritten() throws Exception {
        try (TestStores stores = TestStores.fresh("race_c")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.insertInto("name").row(id, T0, "v1 in cassandra");
            long writeTime = stores.cassandra().execute("SELECT writetime(name) FROM " + stores.qualifiedTable()
                    + " WHERE id = ?", id).one().getLong(0);
            SyncRecord targetAsRead = new SyncRecord(id, T0, Map.of("name", "v1 in cassandra"), Side.CASSANDRA,
                    SyncRecord.Stamp.cassandra(writeTime));
            SyncRecord winner = new SyncRecord(id, T0.plusSeconds(1), Map.of("name", "v2 in elasticsearch"),
                    Side.ELASTICSEARCH);

            Map<String, String> properties = new java.util.HashMap<>(stores.daemonProperties());
            properties.put("sync.period", "1h");
            try (RunningDaemon daemon = RunningDaemon.start(properties)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> daemon.lastCycle() != null);
                // the writer, between the sync's read and its write (its write time is later)
                stores.insertInto("name").row(id, T0.plusSeconds(2), "v3 in cassandra");

                SyncPair cycle = daemon.cycle();
                cycle.begin();
                cycle.toCassandra(winner, targetAsRead);
                cycle.commit();

                assertThat(stores.cassandraRow(id).orElseThrow().getString("name")).isEqualTo("v3 in cassandra");
            }
        }
    }

    @Test
    void with_lightweight_transactions_a_row_changed_in_between_is_kept_whatever_its_write_time()
            throws Exception {
        try (TestStores stores = TestStores.fresh("race_lwt")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            stores.insertInto("name").row(id, now.minusSeconds(60), "v1 in cassandra");
            long writeTime = stores.cassandra().execute("SELECT writetime(name) FROM " + stores.qualifiedTable()
                    + " WHERE id = ?", id).one().getLong(0);
            SyncRecord targetAsRead = new SyncRecord(id, now.minusSeconds(60), Map.of("name", "v1 in cassandra"),
                    Side.CASSANDRA, SyncRecord.Stamp.cassandra(writeTime));
            SyncRecord winner = new SyncRecord(id, now.plusSeconds(20), Map.of("name", "v2 in elasticsearch"),
                    Side.ELASTICSEARCH);

            Map<String, String> properties = new java.util.HashMap<>(stores.daemonProperties());
            properties.put("sync.period", "1h");
            properties.put("sync.cassandra.write-mode", "lwt");
            try (RunningDaemon daemon = RunningDaemon.start(properties)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> daemon.lastCycle() != null);
                // the writer: the newest version, but from a host whose clock lags (low write time)
                stores.cql("UPDATE " + stores.qualifiedTable() + " USING TIMESTAMP " + (writeTime + 1_000_000)
                        + " SET last_modified = ?, name = ? WHERE id = ?", now.plusSeconds(30), "v3 in cassandra", id);

                SyncPair cycle = daemon.cycle();
                cycle.begin();
                cycle.toCassandra(winner, targetAsRead);
                cycle.commit();

                assertThat(cycle.lastCycle().conflicts()).isEqualTo(1);
                assertThat(stores.cassandraRow(id).orElseThrow().getString("name")).isEqualTo("v3 in cassandra");
            }
        }
    }
}

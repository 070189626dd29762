package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.CassandraInsert;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

class InitialReconciliationIT {

    private static final int PER_SIDE = 10_000;
    private static final int SHARED = 4_000;
    private static final Instant T0 = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MILLIS);

    @Test
    void first_start_reconciles_ten_thousand_records_per_side_with_overlapping_ids() {
        try (TestStores stores = TestStores.fresh("initial")) {
            stores.createTable("name text", "n int");
            stores.createIndex();
            List<UUID> shared = new ArrayList<>();
            for (int i = 0; i < SHARED; i++) {
                shared.add(UUID.randomUUID());
            }
            // shared ids: even ones newer in Cassandra, odd ones newer in Elasticsearch
            CassandraInsert insert = stores.insertInto("name", "n");
            List<CompletableFuture<?>> writes = new ArrayList<>();
            BulkRequest.Builder bulk = new BulkRequest.Builder();
            int inBulk = 0;
            for (int i = 0; i < PER_SIDE; i++) {
                UUID c = i < SHARED ? shared.get(i) : UUID.randomUUID();
                UUID e = i < SHARED ? shared.get(i) : UUID.randomUUID();
                Instant cTime = i < SHARED && i % 2 == 1 ? T0 : T0.plusSeconds(1);
                Instant eTime = i < SHARED && i % 2 == 0 ? T0 : T0.plusSeconds(1);
                writes.add(insert.rowAsync(c, cTime, "c" + i, i));
                Map<String, Object> doc = Map.of("last_modified", Timestamps.format(eTime), "name", "e" + i, "n", i);
                bulk.operations(o -> o.index(x -> x.index(stores.index()).id(e.toString()).document(doc)));
                if (++inBulk == 1000) {
                    send(stores, bulk);
                    bulk = new BulkRequest.Builder();
                    inBulk = 0;
                }
                if (writes.size() >= 256) {
                    writes.forEach(CompletableFuture::join);
                    writes.clear();
                }
            }
            writes.forEach(CompletableFuture::join);
            stores.refresh();

            CycleSummary first = RunningDaemon.runOneCycle(stores.daemonProperties());

            int distinct = 2 * PER_SIDE - SHARED;
            assertThat(first.readCassandra()).isGreaterThanOrEqualTo(PER_SIDE);
            // documents the cycle itself indexed may already be visible to its own read
            assertThat(first.readElasticsearch()).isGreaterThanOrEqualTo(PER_SIDE);
            assertThat(first.writtenElasticsearch()).isEqualTo(PER_SIDE - SHARED + SHARED / 2);
            assertThat(first.writtenCassandra()).isEqualTo(PER_SIDE - SHARED + SHARED / 2);
            Map<Side, Map<UUID, SyncRecord>> both = stores.readBothStores();
            assertThat(both.get(Side.CASSANDRA)).hasSize(distinct);
            for (int i = 0; i < SHARED; i += 1000) {
                String expected = (i % 2 == 0 ? "c" : "e") + i;
                assertThat(both.get(Side.CASSANDRA).get(shared.get(i)).fields().get("name")).isEqualTo(expected);
                assertThat(both.get(Side.ELASTICSEARCH).get(shared.get(i)).fields().get("name")).isEqualTo(expected);
            }
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    private static void send(TestStores stores, BulkRequest.Builder bulk) {
        try {
            var response = stores.elasticsearch().bulk(bulk.build());
            assertThat(response.errors()).isFalse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.cassandra.CassandraSchema;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/** The conflict rule on the real stores: whatever happened on which side, both end up with the newest version. */
class ConvergenceIT {

    private static final Instant T0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);

    private static void insertCassandra(TestStores stores, UUID id, Instant lastModified, String name) {
        stores.insertInto("name").row(id, lastModified, name);
    }

    private static void indexElasticsearch(TestStores stores, UUID id, Instant lastModified, String name) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("last_modified", Timestamps.format(lastModified));
        doc.put("name", name);
        stores.index(id, doc);
    }

    private static TestStores storesWithNameColumn(String scenario) {
        TestStores stores = TestStores.fresh(scenario);
        stores.createTable("name text");
        stores.createIndex();
        return stores;
    }

    private static String cassandraName(TestStores stores, UUID id) {
        return stores.cassandraRow(id).map(r -> r.getString("name")).orElse(null);
    }

    private static Object elasticsearchName(TestStores stores, UUID id) {
        return stores.document(id).map(d -> d.get("name")).orElse(null);
    }

    /**
     * Every case of the rule in one table and one cycle, on the real writers (SyncEngineTest proves
     * each rule apart, in memory): records new on either side, a newer version on either side (the
     * Cassandra row written later in wall-clock time than its last_modified says), the same
     * version on both, and equal timestamps with different content under the tie-breaker.
     */
    @Test
    void one_cycle_brings_every_record_to_its_newest_version_on_both_sides() {
        try (TestStores stores = storesWithNameColumn("every_case")) {
            UUID newInCassandra = UUID.randomUUID();
            UUID newInElasticsearch = UUID.randomUUID();
            UUID newerInCassandra = UUID.randomUUID();
            UUID newerInElasticsearch = UUID.randomUUID();
            UUID same = UUID.randomUUID();
            UUID tie = UUID.randomUUID();
            insertCassandra(stores, newInCassandra, T0, "from cassandra");
            indexElasticsearch(stores, newInElasticsearch, T0, "from elasticsearch");
            indexElasticsearch(stores, newerInCassandra, T0, "older in elasticsearch");
            insertCassandra(stores, newerInCassandra, T0.plusSeconds(1), "newer in cassandra");
            insertCassandra(stores, newerInElasticsearch, T0, "older in cassandra");
            indexElasticsearch(stores, newerInElasticsearch, T0.plusSeconds(1), "newer in elasticsearch");
            insertCassandra(stores, same, T0, "same");
            indexElasticsearch(stores, same, T0, "same");
            insertCassandra(stores, tie, T0, "cassandra's");
            indexElasticsearch(stores, tie, T0, "elasticsearch's");
            stores.refresh();
            Map<String, String> properties = new LinkedHashMap<>(stores.daemonProperties());
            properties.put("sync.tie-breaker", "elasticsearch");

            CycleSummary cycle = RunningDaemon.runOneCycle(properties);

            assertThat(elasticsearchName(stores, newInCassandra)).isEqualTo("from cassandra");
            assertThat(cassandraName(stores, newInElasticsearch)).isEqualTo("from elasticsearch");
            assertThat(elasticsearchName(stores, newerInCassandra)).isEqualTo("newer in cassandra");
            assertThat(cassandraName(stores, newerInCassandra)).isEqualTo("newer in cassandra");
            assertThat(cassandraName(stores, newerInElasticsearch)).isEqualTo("newer in elasticsearch");
            assertThat(elasticsearchName(stores, newerInElasticsearch)).isEqualTo("newer in elasticsearch");
            assertThat(cassandraName(stores, tie)).isEqualTo("elasticsearch's");
            // nothing else is written: not the record already in sync, not the winners' own side
            assertThat(cycle.writtenElasticsearch()).as("new and newer in Cassandra").isEqualTo(2);
            assertThat(cycle.writtenCassandra()).as("new and newer in Elasticsearch, the tie").isEqualTo(3);
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void updates_after_a_completed_sync_are_propagated_both_ways() {
        try (TestStores stores = storesWithNameColumn("update");
                RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
            UUID id = UUID.randomUUID();
            insertCassandra(stores, id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "v1");
            await("v1 in Elasticsearch").ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> elasticsearchName(stores, id), "v1"::equals);

            indexElasticsearch(stores, id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "v2 from elasticsearch");
            await("v2 in Cassandra").ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> cassandraName(stores, id), "v2 from elasticsearch"::equals);

            insertCassandra(stores, id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "v3 from cassandra");
            await("v3 in Elasticsearch").ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> elasticsearchName(stores, id), "v3 from cassandra"::equals);

            CycleSummary quiet = daemon.awaitNextFullCycle();
            assertThat(quiet.writtenInAll()).as("writes in a quiet cycle").isZero();
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void a_copied_record_is_never_copied_back() {
        try (TestStores stores = storesWithNameColumn("no_echo");
                RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
            List<UUID> ids = new ArrayList<>();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < 20; i++) {
                UUID c = UUID.randomUUID();
                UUID e = UUID.randomUUID();
                ids.add(c);
                ids.add(e);
                insertCassandra(stores, c, now, "c" + i);
                indexElasticsearch(stores, e, now, "e" + i);
            }
            await("40 records on both stores").ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> ids.stream().allMatch(id -> stores.cassandraRow(id).isPresent()
                            && stores.document(id).isPresent()));
            // every version, the copies included, is read again once it is as old as the overlap (5 s):
            // 40 originals and 40 copies found equal on both sides
            await("the copies read again").atMost(Duration.ofSeconds(30))
                    .until(() -> daemon.cycle().totals().unchanged() >= 80);
            daemon.awaitNextFullCycle();

            CycleSummary totals = daemon.cycle().totals();
            assertThat(totals.writtenElasticsearch()).as("copies to Elasticsearch").isEqualTo(20);
            assertThat(totals.writtenCassandra()).as("copies to Cassandra").isEqualTo(20);
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    /**
     * Cassandra records {@code USING 'sai'} as the class name "sai": the daemon must still see
     * the index, or every cycle scans the whole table (found by the benchmark's idle-cycle figures).
     */
    @Test
    void changes_are_read_through_the_storage_attached_index_however_it_was_created() {
        try (TestStores stores = TestStores.fresh("sai")) {
            CassandraSchema.ensure(stores.cassandra(), stores.keyspace(), stores.table(), "id", "last_modified", true, 1); // CREATE INDEX ... USING 'sai'
            CassandraTable table = new CassandraTable(stores.cassandra(), stores.keyspace(), stores.table(),
                    "last_modified");
            assertThat(table.hasTimestampIndex()).as("index created with USING 'sai'").isTrue();

            stores.cql("DROP INDEX " + stores.keyspace() + "." + stores.table() + "_last_modified_sai");
            stores.cassandra().refreshSchema();
            assertThat(table.hasTimestampIndex()).as("no index").isFalse();

            stores.cql("CREATE CUSTOM INDEX lm_by_class ON " + stores.qualifiedTable()
                    + " (last_modified) USING 'org.apache.cassandra.index.sai.StorageAttachedIndex'");
            stores.cassandra().refreshSchema();
            assertThat(table.hasTimestampIndex()).as("index created by class name").isTrue();
        }
    }

    @Test
    void table_without_a_timestamp_index_is_read_by_full_scan_and_still_syncs_changes() {
        try (TestStores stores = TestStores.fresh("no_sai")) {
            stores.createTable("name text"); // no storage-attached index, as on Cassandra 4
            stores.createIndex();
            Map<String, String> properties = new LinkedHashMap<>(stores.daemonProperties());
            properties.put("sync.create-schema", "false");
            try (RunningDaemon daemon = RunningDaemon.start(properties)) {
                UUID id = UUID.randomUUID();
                insertCassandra(stores, id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "scanned");
                await("row in Elasticsearch").ignoreExceptions().atMost(Duration.ofSeconds(30))
                        .until(() -> elasticsearchName(stores, id), "scanned"::equals);
                CycleSummary quiet = daemon.awaitNextFullCycle();
                assertThat(quiet.writtenInAll()).isZero();
            }
            assertThat(stores.cassandra().getMetadata().getKeyspace(stores.keyspace()).orElseThrow()
                    .getTable(stores.table()).orElseThrow().getIndexes()).isEmpty();
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void a_cron_schedule_replaces_the_period() {
        try (TestStores stores = storesWithNameColumn("cron")) {
            Map<String, String> properties = new LinkedHashMap<>(stores.daemonProperties());
            properties.put("sync.period", "1h");
            properties.put("sync.cron", "* * * * * ?"); // every second
            try (RunningDaemon daemon = RunningDaemon.start(properties)) {
                UUID id = UUID.randomUUID();
                insertCassandra(stores, id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "on schedule");
                await("row in Elasticsearch").ignoreExceptions().atMost(Duration.ofSeconds(30))
                        .until(() -> elasticsearchName(stores, id), "on schedule"::equals);
                await("cycles run by the cron trigger").atMost(Duration.ofSeconds(30))
                        .until(() -> daemon.lastCycle() != null && daemon.lastCycle().cycle() >= 2);
            }
        }
    }
}

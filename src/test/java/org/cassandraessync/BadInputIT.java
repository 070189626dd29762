package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * Every class of bad input: the record goes to the dead-letter file with its side, id and reason,
 * the cycle counts it, and the good records of the same batch still sync.
 */
class BadInputIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private static TestStores stores(String scenario) {
        TestStores stores = TestStores.fresh(scenario);
        stores.createTable("name text", "quantity int");
        stores.createIndex();
        return stores;
    }

    private static UUID goodCassandraRow(TestStores stores) {
        UUID id = UUID.randomUUID();
        stores.insertInto("name").row(id, NOW, "good");
        return id;
    }

    private static Map<String, Object> doc(Object lastModified, Object quantity) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (lastModified != null) {
            d.put("last_modified", lastModified);
        }
        d.put("name", "bad");
        d.put("quantity", quantity);
        return d;
    }

    private static void assertQuarantined(TestStores stores, String side, String id, String reasonPart) {
        assertThat(stores.deadLetters()).anySatisfy(line -> {
            assertThat(line.get("side").asText()).isEqualTo(side);
            assertThat(line.get("id").asText()).isEqualTo(id);
            assertThat(line.get("reason").asText()).contains(reasonPart);
            assertThat(line.get("record").isNull()).isFalse();
            assertThat(line.get("time").asText()).isNotEmpty();
        });
    }

    @Test
    void document_whose_id_is_not_a_uuid_is_quarantined_and_the_rest_syncs() {
        try (TestStores stores = stores("bad_id")) {
            UUID good = goodCassandraRow(stores);
            stores.indexRaw("product-42", doc(Timestamps.format(NOW), 1));

            CycleSummary cycle = RunningDaemon.runOneCycle(stores.daemonProperties());

            assertQuarantined(stores, "elasticsearch", "product-42", "not a UUID");
            assertThat(cycle.rejected()).isEqualTo(1);
            assertThat(stores.document(good)).isPresent();
        }
    }

    @Test
    void document_without_last_modified_is_quarantined() {
        try (TestStores stores = stores("no_ts")) {
            UUID good = goodCassandraRow(stores);
            String bad = UUID.randomUUID().toString();
            stores.indexRaw(bad, doc(null, 1));

            CycleSummary cycle = RunningDaemon.runOneCycle(stores.daemonProperties());

            assertQuarantined(stores, "elasticsearch", bad, "no last_modified value");
            assertThat(cycle.rejected()).isEqualTo(1);
            assertThat(stores.document(good)).isPresent();
        }
    }

    @Test
    void last_modified_too_far_in_the_future_is_quarantined() {
        try (TestStores stores = stores("future")) {
            UUID good = goodCassandraRow(stores);
            UUID bad = UUID.randomUUID();
            stores.insertInto("name").row(bad, NOW.plus(1, ChronoUnit.DAYS), "from a broken clock");

            CycleSummary cycle = RunningDaemon.runOneCycle(stores.daemonProperties());

            assertQuarantined(stores, "cassandra", bad.toString(), "in the future (sync.max-clock-skew)");
            assertThat(cycle.rejected()).isEqualTo(1);
            assertThat(stores.document(bad)).isEmpty();
            assertThat(stores.document(good)).isPresent();
        }
    }

    @Test
    void value_that_does_not_fit_its_cassandra_column_is_kept_exactly_in_the_overflow_column() {
        try (TestStores stores = stores("bad_value")) {
            UUID good = goodCassandraRow(stores);
            UUID odd = UUID.randomUUID();
            stores.indexRaw(odd.toString(), doc(Timestamps.format(NOW), "many"));

            CycleSummary cycle = RunningDaemon.runOneCycle(stores.daemonProperties());

            assertThat(cycle.rejected()).isZero();
            assertThat(stores.cassandraRow(odd)).hasValueSatisfying(r -> {
                assertThat(r.isNull("quantity")).as("the int column").isTrue();
                assertThat(r.getString("\"_sync_overflow\"")).isEqualTo("{\"quantity\":\"many\"}");
            });
            assertThat(stores.document(good)).isPresent();

            // changed in Cassandra: the document comes back with "many" where it was
            Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            stores.cql("UPDATE " + stores.qualifiedTable() + " SET last_modified = ?, name = ? WHERE id = ?",
                    later, "renamed", odd);
            RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(stores.document(odd)).hasValue(Map.of("last_modified", Timestamps.format(later),
                    "name", "renamed", "quantity", "many"));

            // fixed on its side (new last_modified): the value moves to its column
            stores.indexRaw(odd.toString(), doc(Timestamps.format(Instant.now()), 12));
            RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(stores.cassandraRow(odd)).hasValueSatisfying(r -> {
                assertThat(r.getInt("quantity")).isEqualTo(12);
                assertThat(r.isNull("\"_sync_overflow\"")).isTrue();
            });
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void row_the_index_mapping_refuses_is_quarantined() {
        try (TestStores stores = TestStores.fresh("mapping")) {
            stores.createTable("name text", "code text");
            stores.createIndex();
            stores.putMapping("{\"properties\": {\"code\": {\"type\": \"long\"}}}");
            UUID good = goodCassandraRow(stores);
            UUID bad = UUID.randomUUID();
            stores.insertInto("code").row(bad, NOW, "not-a-number");

            CycleSummary cycle = RunningDaemon.runOneCycle(stores.daemonProperties());

            assertQuarantined(stores, "cassandra", bad.toString(), "Elasticsearch refused the document");
            assertThat(cycle.rejected()).isEqualTo(1);
            assertThat(stores.document(good)).isPresent();
            assertThat(stores.document(bad)).isEmpty();
        }
    }
}

package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

class CassandraToElasticsearchIT {

    @Test
    void row_inserted_in_cassandra_is_indexed_in_elasticsearch_under_the_same_uuid() {
        try (TestStores stores = TestStores.fresh("c2e")) {
            stores.createTable("name text", "quantity int", "price decimal", "tags set<text>", "active boolean");
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                UUID id = UUID.randomUUID();
                Instant lastModified = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                stores.insertInto("name", "quantity", "price", "tags", "active")
                        .row(id, lastModified, "Ünïcode widget", 7, new BigDecimal("12.50"), Set.of("a", "b"), true);

                Map<String, Object> doc = await("document " + id + " in Elasticsearch").ignoreExceptions()
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> stores.document(id).orElse(null), d -> d != null);

                assertThat(doc).containsEntry("last_modified", Timestamps.format(lastModified))
                        .containsEntry("name", "Ünïcode widget")
                        .containsEntry("quantity", 7)
                        .containsEntry("active", true)
                        .containsEntry("tags", List.of("a", "b"))
                        .doesNotContainKey("id");
                assertThat(new BigDecimal(doc.get("price").toString())).isEqualByComparingTo("12.50");

                CycleSummary quiet = daemon.awaitNextFullCycle();
                assertThat(quiet.writtenElasticsearch()).as("records re-written to Elasticsearch").isZero();
                assertThat(quiet.writtenCassandra()).as("records echoed back to Cassandra").isZero();
            }
        }
    }

    @Test
    void rows_present_before_start_are_indexed_by_the_first_cycle() {
        try (TestStores stores = TestStores.fresh("c2e_first")) {
            stores.createTable("name text");
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                stores.insertInto("name")
                        .row(id, Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS), "waiting " + i);
            }
            CycleSummary first = RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(first.cycle()).isEqualTo(1);
            assertThat(first.readCassandra()).isEqualTo(50);
            assertThat(first.writtenElasticsearch()).as("written by the cycle that read them").isEqualTo(50);
            assertThat(first.readElasticsearch()).as("the index was empty when the cycle began: its own copies"
                    + " are not read back").isZero();
            assertThat(ids).allSatisfy(id -> assertThat(stores.document(id)).isPresent());
        }
    }
}

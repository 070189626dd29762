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
import java.util.Set;
import java.util.UUID;

import com.datastax.oss.driver.api.core.cql.Row;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

class ElasticsearchToCassandraIT {

    @Test
    void document_indexed_in_elasticsearch_is_written_to_cassandra_under_the_same_uuid() {
        try (TestStores stores = TestStores.fresh("e2c")) {
            stores.createTable("name text", "quantity int", "tags set<text>", "active boolean");
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                UUID id = UUID.randomUUID();
                Instant lastModified = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("last_modified", Timestamps.format(lastModified));
                doc.put("name", "Gadget 東京");
                doc.put("quantity", 3);
                doc.put("tags", List.of("x", "y"));
                doc.put("active", false);
                stores.index(id, doc);

                Row row = await("row " + id + " in Cassandra").ignoreExceptions()
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> stores.cassandraRow(id).orElse(null), r -> r != null);

                assertThat(row.getInstant("last_modified")).isEqualTo(lastModified);
                assertThat(row.getString("name")).isEqualTo("Gadget 東京");
                assertThat(row.getInt("quantity")).isEqualTo(3);
                assertThat(row.getSet("tags", String.class)).isEqualTo(Set.of("x", "y"));
                assertThat(row.getBoolean("active")).isFalse();

                CycleSummary quiet = daemon.awaitNextFullCycle();
                assertThat(quiet.writtenCassandra()).as("records re-written to Cassandra").isZero();
                assertThat(quiet.writtenElasticsearch()).as("records echoed back to Elasticsearch").isZero();
            }
        }
    }

    @Test
    void documents_present_before_start_are_written_by_the_first_cycle() {
        try (TestStores stores = TestStores.fresh("e2c_first")) {
            stores.createTable("name text");
            stores.createIndex();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                stores.index(id, Map.of("last_modified", Timestamps.format(Instant.now()), "name", "waiting " + i));
            }
            stores.refresh();
            CycleSummary first = RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(first.cycle()).isEqualTo(1);
            assertThat(first.readElasticsearch()).isEqualTo(50);
            assertThat(first.writtenCassandra()).as("written by the cycle that read them").isEqualTo(50);
            assertThat(ids).allSatisfy(id -> assertThat(stores.cassandraRow(id)).isPresent());
        }
    }
}

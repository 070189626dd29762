package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

class NewestVersionWinsIT {

    @Test
    void the_version_with_the_newest_last_modified_ends_up_on_both_stores() {
        try (TestStores stores = TestStores.fresh("newest")) {
            stores.createTable("name text");
            UUID elasticsearchNewer = UUID.randomUUID();
            UUID cassandraNewer = UUID.randomUUID();
            Instant older = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
            Instant newer = older.plusSeconds(30);
            String insert = "INSERT INTO " + stores.qualifiedTable() + " (id, last_modified, name) VALUES (?, ?, ?)";
            stores.cql(insert, elasticsearchNewer, older, "old in cassandra");
            stores.cql(insert, cassandraNewer, newer, "new in cassandra");
            stores.createIndex();
            stores.index(elasticsearchNewer, Map.of("last_modified", Timestamps.format(newer), "name", "new in es"));
            stores.index(cassandraNewer, Map.of("last_modified", Timestamps.format(older), "name", "old in es"));
            stores.refresh();
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                await("newest versions on both stores").ignoreExceptions().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                            assertThat(stores.cassandraRow(elasticsearchNewer).orElseThrow().getString("name"))
                                    .isEqualTo("new in es");
                            assertThat(stores.document(cassandraNewer).orElseThrow().get("name"))
                                    .isEqualTo("new in cassandra");
                        });
                assertThat(stores.document(elasticsearchNewer).orElseThrow().get("name")).isEqualTo("new in es");
                assertThat(stores.cassandraRow(cassandraNewer).orElseThrow().getString("name"))
                        .isEqualTo("new in cassandra");
            }
        }
    }
}

package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import co.elastic.clients.elasticsearch.core.search.Hit;
import com.datastax.oss.driver.api.core.cql.Row;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * One record of every bad kind hidden among a thousand good ones on each side: the good ones all
 * arrive in the first cycle, each bad one is in the dead letters with the store's reason, and the
 * cycles after that are quiet.
 */
class PoisonPillIT {

    private static final int GOOD = 1000;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void one_bad_record_of_every_kind_stops_nothing() {
        try (TestStores stores = TestStores.fresh("poison_pills")) {
            stores.createTable("name text", "quantity int", "payload blob", "code text", "sku text", "dimensions text");
            stores.createIndex();
            stores.putMapping("""
                    {"properties": {"code": {"type": "long"}, "sku": {"type": "keyword"},
                                    "dimensions": {"type": "object"}}}""");

            Set<UUID> goodRows = new HashSet<>();
            for (int i = 0; i < GOOD; i++) {
                UUID id = UUID.randomUUID();
                goodRows.add(id);
                stores.insertInto("name", "quantity", "dimensions").row(id, NOW, "row " + i, i, "{\"w\":" + i + "}");
            }
            Map<UUID, Map<String, Object>> goodDocs = new LinkedHashMap<>();
            for (int i = 0; i < GOOD; i++) {
                goodDocs.put(UUID.randomUUID(), doc(NOW, "document " + i, i));
            }
            // odd but good: a value its column cannot hold, an object where the table has no column
            Map<String, Object> odd = doc(NOW, "odd", 1);
            odd.put("quantity", new java.math.BigDecimal("12.5")); // Elasticsearch takes it for a long, Cassandra not for an int
            odd.put("dimensions", Map.of("w", 1, "extra", Map.of("deep", true)));
            goodDocs.put(UUID.randomUUID(), odd);
            stores.indexAll(goodDocs);

            // the bad ones, Elasticsearch side
            stores.indexRaw("product-42", doc(NOW, "id is not a UUID", 1));
            String noTimestamp = UUID.randomUUID().toString();
            Map<String, Object> withoutTimestamp = doc(NOW, "no timestamp", 1);
            withoutTimestamp.remove("last_modified");
            stores.indexRaw(noTimestamp, withoutTimestamp);
            String future = UUID.randomUUID().toString();
            stores.indexRaw(future, doc(NOW.plus(1, ChronoUnit.DAYS), "from a broken clock", 1));
            String tooLargeForCassandra = UUID.randomUUID().toString();
            stores.indexRaw(tooLargeForCassandra, doc(NOW, "x".repeat(4_300_000), 1)); // above max_mutation_size

            // the bad ones, Cassandra side
            UUID nullTimestamp = insertRow(stores, null, "name", "no timestamp");
            UUID futureRow = insertRow(stores, NOW.plus(1, ChronoUnit.DAYS), "name", "from a broken clock");
            UUID refusedByMapping = insertRow(stores, NOW, "code", "not-a-number");
            UUID immenseKeyword = insertRow(stores, NOW, "sku", "k".repeat(40_000));
            UUID tooLargeForElasticsearch = insertRow(stores, NOW, "payload", ByteBuffer.allocate(3_000_000));
            UUID notJson = insertRow(stores, NOW, "dimensions", "w=10, h=30");

            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                CycleSummary first = org.awaitility.Awaitility.await("first cycle")
                        .atMost(java.time.Duration.ofSeconds(120)).until(daemon::lastCycle, c -> c != null);
                assertThat(first.failed()).as("a cycle failed").isFalse();
                // quiet cycles follow the first one quickly: the totals are the first cycle's figures
                // (the quiet cycles below are checked to add nothing)
                CycleSummary sinceStart = daemon.cycle().totals();
                assertThat(sinceStart.failed()).isFalse();
                assertThat(sinceStart.writtenElasticsearch()).isEqualTo(GOOD);
                assertThat(sinceStart.writtenCassandra()).isEqualTo(GOOD + 1);
                assertThat(sinceStart.rejected()).isEqualTo(10);
                assertThat(idsInCassandra(stores)).containsAll(goodDocs.keySet());
                assertThat(idsInElasticsearch(stores)).containsAll(goodRows);
                assertThat(stores.cassandraRow(odd(goodDocs))).hasValueSatisfying(r ->
                        assertThat(r.getString("\"_sync_overflow\"")).isEqualTo("{\"quantity\":12.5}"));

                assertQuarantined(stores, "elasticsearch", "product-42", "is not a UUID");
                assertQuarantined(stores, "elasticsearch", noTimestamp, "no last_modified value");
                assertQuarantined(stores, "elasticsearch", future, "in the future");
                assertQuarantined(stores, "elasticsearch", tooLargeForCassandra, "Cassandra refused the record: CQL Message of size");
                assertQuarantined(stores, "cassandra", nullTimestamp.toString(), "no last_modified value");
                assertQuarantined(stores, "cassandra", futureRow.toString(), "in the future");
                assertQuarantined(stores, "cassandra", refusedByMapping.toString(), "Elasticsearch refused the document");
                assertQuarantined(stores, "cassandra", immenseKeyword.toString(), "failed to parse field [sku]");
                assertQuarantined(stores, "cassandra", tooLargeForElasticsearch.toString(),
                        "larger than one request may be (http.max_content_length 5242880 bytes)");
                assertQuarantined(stores, "cassandra", notJson.toString(), "holds no valid JSON");

                for (int i = 0; i < 2; i++) {
                    CycleSummary next = daemon.awaitNextFullCycle();
                    assertThat(next.failed()).isFalse();
                    assertThat(next.writtenInAll()).as("written").isZero();
                    assertThat(next.rejected()).as("rejected again").isZero();
                }
                CycleSummary atEnd = daemon.cycle().totals();
                assertThat(atEnd.writtenInAll()).as("written since the first cycle")
                        .isEqualTo(sinceStart.writtenInAll());
                assertThat(atEnd.rejected()).isEqualTo(10);
            }
        }
    }

    private static UUID odd(Map<UUID, Map<String, Object>> docs) {
        return docs.entrySet().stream().filter(e -> "odd".equals(e.getValue().get("name"))).findFirst()
                .orElseThrow().getKey();
    }

    private static Map<String, Object> doc(Instant lastModified, String name, int quantity) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("last_modified", Timestamps.format(lastModified));
        d.put("name", name);
        d.put("quantity", quantity);
        return d;
    }

    private static UUID insertRow(TestStores stores, Instant lastModified, String column, Object value) {
        UUID id = UUID.randomUUID();
        stores.insertInto(column).row(id, lastModified, value);
        return id;
    }

    private static void assertQuarantined(TestStores stores, String side, String id, String reasonPart) {
        assertThat(stores.deadLetters()).as("dead letters").anySatisfy(line -> {
            assertThat(line.get("side").asText()).isEqualTo(side);
            assertThat(line.get("id").asText()).isEqualTo(id);
            assertThat(line.get("reason").asText()).contains(reasonPart);
        });
    }

    private static Set<UUID> idsInCassandra(TestStores stores) {
        Set<UUID> ids = new HashSet<>();
        for (Row row : stores.cassandra().execute("SELECT id FROM " + stores.qualifiedTable())) {
            ids.add(row.getUuid(0));
        }
        return ids;
    }

    private static Set<UUID> idsInElasticsearch(TestStores stores) {
        stores.refresh();
        try {
            Set<UUID> ids = new HashSet<>();
            for (Hit<Void> hit : stores.elasticsearch().search(s -> s.index(stores.index()).size(10_000)
                    .source(src -> src.fetch(false)), Void.class).hits().hits()) {
                try {
                    ids.add(UUID.fromString(hit.id()));
                } catch (IllegalArgumentException notAUuid) {
                    // product-42
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

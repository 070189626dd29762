package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import net.datafaker.Faker;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * Documents as people store them in Elasticsearch (nested objects, arrays of objects, camelCase and
 * dotted names, nulls, numbers that dynamic mapping made float or long, every mapping type) go to
 * Cassandra and, changed there, come back with exactly the same {@code _source}.
 */
class DocumentShapesIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void the_newcomer_lamp_of_the_issue_syncs_both_ways() {
        try (TestStores stores = TestStores.fresh("newcomer")) {
            // the demo's table
            stores.createTable("name text", "price decimal", "tags set<text>", "in_stock boolean");
            stores.createIndex();
            UUID lamp = UUID.randomUUID();
            Map<String, Object> doc = map("last_modified", Timestamps.format(NOW), "name", "Newcomer lamp",
                    "price", new BigDecimal("19.90"), "tags", List.of("home", "light"),
                    "dimensions", map("w", 10, "h", 30), "inStock", true);
            stores.indexAll(Map.of(lamp, doc));

            CycleSummary first = RunningDaemon.runOneCycle(stores.daemonProperties());

            assertThat(first.failed()).isFalse();
            assertThat(first.rejected()).isZero();
            assertThat(stores.cassandraRow(lamp)).hasValueSatisfying(row -> {
                assertThat(row.getString("name")).isEqualTo("Newcomer lamp");
                assertThat(row.getBigDecimal("price")).isEqualTo(new BigDecimal("19.90"));
                assertThat(row.getSet("tags", String.class)).containsExactlyInAnyOrder("home", "light");
                assertThat(row.getBoolean("\"inStock\"")).isTrue();
                assertThat(row.getString("dimensions")).isEqualTo("{\"w\":10,\"h\":30}");
            });

            // a CQL user changes the price: the document keeps every name and shape
            Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            stores.cql("UPDATE " + stores.qualifiedTable() + " SET price = 17.50, last_modified = ? WHERE id = ?",
                    later, lamp);
            RunningDaemon.runOneCycle(stores.daemonProperties());

            Map<String, Object> expected = new LinkedHashMap<>(doc);
            expected.put("price", new BigDecimal("17.50"));
            expected.put("last_modified", Timestamps.format(later));
            assertThat(stores.document(lamp)).hasValue(expected);
            assertQuietCycle(stores);
        }
    }

    @Test
    void realistic_documents_come_back_from_cassandra_with_the_same_source() {
        try (TestStores stores = TestStores.fresh("realistic")) {
            stores.createIndex();
            Faker faker = new Faker(Locale.US, new Random(20261201));
            Map<UUID, Map<String, Object>> docs = new LinkedHashMap<>();
            for (int i = 0; i < 100; i++) {
                docs.put(UUID.randomUUID(), customer(faker));
                docs.put(UUID.randomUUID(), product(faker));
                docs.put(UUID.randomUUID(), logLine(faker));
            }

            assertSourcesSurviveTheRoundTrip(stores, docs);

            // a CQL user can read them: camelCase names as they are, objects as JSON, arrays as lists
            assertColumnTypes(stores,
                    "firstName", "text",
                    "loyaltyPoints", "bigint",
                    "price", "decimal",
                    "vip", "boolean",
                    "phoneNumbers", "list<text>",
                    "address", "text",
                    "host.name", "text");
        }
    }

    @Test
    void hand_written_edge_cases_come_back_with_the_same_source() {
        try (TestStores stores = TestStores.fresh("edge_cases")) {
            stores.createIndex();
            // types dynamic mapping never picks, mapped the way their owners would (the sandbox's
            // Elasticsearch has no x-pack or mapper-extras modules: wildcard, version, unsigned_long,
            // scaled_float, match_only_text... are covered by TypeMappingTest)
            stores.putMapping("""
                    {"properties": {
                      "ip6": {"type": "ip"}, "blob": {"type": "binary"}, "location": {"type": "geo_point"},
                      "attrs": {"type": "flattened"}, "embedding": {"type": "dense_vector", "dims": 3},
                      "ratio": {"type": "half_float"}, "sku": {"type": "keyword"}, "precise": {"type": "date_nanos"},
                      "born": {"type": "date", "format": "strict_date_optional_time||epoch_millis"},
                      "lines": {"type": "nested"}, "span": {"type": "integer_range"},
                      "mixedArray": {"type": "keyword"}
                    }}""");
            Map<UUID, Map<String, Object>> docs = new LinkedHashMap<>();
            docs.put(UUID.randomUUID(), map("productName", "Lamp", "a.b", 1, "x-y", "dash", "first name", "space",
                    "1st", "digit", "select", "reserved", "UPPER", "upper", "Mixed_Case", "mixed", "ünïcødé", "yes"));
            docs.put(UUID.randomUUID(), map("dimensions", map("w", 10, "h", 30, "unit", "cm"),
                    "lines", List.of(map("sku", "A-1", "qty", 2), map("sku", "B-2", "qty", 1, "gift", true)),
                    "tags", List.of("home", "light"), "color", "red", "note", null, "sizes", List.of(),
                    "matrix", List.of(List.of(1, 2), List.of(3)), "mixedArray", java.util.Arrays.asList("a", 1, null),
                    "deep", map("level1", map("level2", map("level3", List.of(map("x", 1)))))));
            docs.put(UUID.randomUUID(), map("color", List.of("red", "blue"), "tags", List.of("garden"),
                    "dimensions", map("w", 1)));
            docs.put(UUID.randomUUID(), map("price", new BigDecimal("19.90"), "ratio", new BigDecimal("0.5"),
                    "precise", "2026-05-01T10:00:00.123456789Z",
                    "big", 9007199254740993L, "tiny", new BigDecimal("1E-7"), "negative", -42,
                    "inStock", true, "sku", "SKU-0001", "version", "1.2.3-beta"));
            docs.put(UUID.randomUUID(), map("price", 20, "inStock", "true", "sku", 12345));
            docs.put(UUID.randomUUID(), map("born", "1990-01-02", "ip6", "2001:db8::1", "blob", "aGVsbG8gd29ybGQ=",
                    "location", map("lat", new BigDecimal("41.12"), "lon", new BigDecimal("-71.34")),
                    "attrs", map("k", "v", "deep", map("x", "1")), "embedding", List.of(
                            new BigDecimal("0.5"), new BigDecimal("0.25"), new BigDecimal("1.0")),
                    "span", map("gte", 1, "lte", 5), "path", "/var/log/app.log"));
            docs.put(UUID.randomUUID(), map("born", 631238400000L, "ip6", "192.168.0.1", "location", "41.12,-71.34",
                    "embedding", List.of(new BigDecimal("0.123456789"), 0, 1)));
            docs.put(UUID.randomUUID(), map("born", "2024-05-01T10:00:00+02:00",
                    "location", List.of(new BigDecimal("-71.34"), new BigDecimal("41.12")),
                    "body", "lorem ipsum ".repeat(10_000), "empty", "", "emptyObject", map()));
            docs.put(UUID.randomUUID(), map("location", "POINT (-71.34 41.12)", "quote\"d", "a \"quoted\" name"));
            docs.values().forEach(d -> d.put("last_modified", Timestamps.format(NOW)));

            assertSourcesSurviveTheRoundTrip(stores, docs);

            assertColumnTypes(stores,
                    "precise", "text",
                    "embedding", "vector<float, 3>",
                    "ratio", "decimal",
                    "inStock", "boolean",
                    "tags", "list<text>",
                    "a.b", "bigint",
                    "ip6", "text");
        }
    }

    @Test
    void quoted_cassandra_columns_reach_elasticsearch_with_their_exact_names() {
        try (TestStores stores = TestStores.fresh("quoted_columns")) {
            stores.createTable("\"productName\" text", "\"Unit Price\" decimal", "\"x-y\" int", "\"Tags\" list<text>");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.insertInto("\"productName\"", "\"Unit Price\"", "\"x-y\"", "\"Tags\"")
                    .row(id, NOW, "Lamp", new BigDecimal("19.90"), 7, List.of("a", "b"));

            RunningDaemon.runOneCycle(stores.daemonProperties());

            assertThat(stores.document(id)).hasValue(map("productName", "Lamp", "Unit Price", new BigDecimal("19.90"),
                    "x-y", 7, "Tags", List.of("a", "b"), "last_modified", Timestamps.format(NOW)));

            // changed in Elasticsearch: back into the same columns, no second column appears
            Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            stores.indexAll(Map.of(id, map("productName", "Desk lamp", "Unit Price", new BigDecimal("21.00"),
                    "x-y", 8, "Tags", List.of("c"), "last_modified", Timestamps.format(later))));
            RunningDaemon.runOneCycle(stores.daemonProperties());

            assertThat(stores.cassandraRow(id)).hasValueSatisfying(row -> {
                assertThat(row.getString("\"productName\"")).isEqualTo("Desk lamp");
                assertThat(row.getBigDecimal("\"Unit Price\"")).isEqualTo(new BigDecimal("21.00"));
                assertThat(row.getInt("\"x-y\"")).isEqualTo(8);
                assertThat(row.getColumnDefinitions().size()).isEqualTo(6);
            });
            assertQuietCycle(stores);
        }
    }

    /**
     * Indexes the documents, syncs them to Cassandra, touches every row there (a new last_modified,
     * nothing else), syncs back, and compares each document's source with the one first indexed.
     */
    static void assertSourcesSurviveTheRoundTrip(TestStores stores, Map<UUID, Map<String, Object>> docs) {
        stores.indexAll(docs);
        Map<UUID, Map<String, Object>> before = new LinkedHashMap<>();
        docs.keySet().forEach(id -> before.put(id, stores.document(id).orElseThrow()));

        CycleSummary toCassandra = RunningDaemon.runOneCycle(stores.daemonProperties());
        assertThat(toCassandra.rejected()).as("rejected (see %s)", stores.deadLetters()).isZero();
        assertThat(toCassandra.writtenCassandra()).isEqualTo(docs.size());

        Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        docs.keySet().forEach(id -> stores.cql("UPDATE " + stores.qualifiedTable()
                + " SET last_modified = ? WHERE id = ?", later, id));
        CycleSummary back = RunningDaemon.runOneCycle(stores.daemonProperties());
        assertThat(back.rejected()).as("rejected (see %s)", stores.deadLetters()).isZero();
        assertThat(back.writtenElasticsearch()).isEqualTo(docs.size());

        for (UUID id : docs.keySet()) {
            Map<String, Object> expected = new LinkedHashMap<>(before.get(id));
            expected.put("last_modified", Timestamps.format(later));
            assertThat(stores.document(id)).as("document %s", id).hasValue(expected);
        }
        assertQuietCycle(stores);
        stores.assertBothStoresHoldTheSameRecords();
    }

    private static void assertQuietCycle(TestStores stores) {
        CycleSummary quiet = RunningDaemon.runOneCycle(stores.daemonProperties());
        assertThat(quiet.writtenInAll()).as("written by a quiet cycle").isZero();
        assertThat(quiet.rejected()).isZero();
    }

    /** Each column has the CQL type given after its name, as a CQL user reads it ({@code list<text>}). */
    private static void assertColumnTypes(TestStores stores, String... namesAndTypes) {
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            assertThat(columnType(stores, namesAndTypes[i])).as("column %s", namesAndTypes[i])
                    .isEqualTo(namesAndTypes[i + 1]);
        }
    }

    private static String columnType(TestStores stores, String name) {
        return stores.cassandra().getMetadata().getKeyspace(stores.keyspace())
                .flatMap(k -> k.getTable(stores.table()))
                .flatMap(t -> t.getColumn(CqlIdentifier.fromInternal(name)))
                .orElseThrow(() -> new AssertionError("no column " + name)).getType().asCql(false, true);
    }

    private static Map<String, Object> customer(Faker f) {
        List<Object> orders = new ArrayList<>();
        for (int i = f.random().nextInt(0, 3); i > 0; i--) {
            List<Object> items = new ArrayList<>();
            for (int j = f.random().nextInt(1, 4); j > 0; j--) {
                items.add(map("sku", f.commerce().promotionCode(), "qty", f.random().nextInt(1, 5),
                        "unitPrice", new BigDecimal(f.commerce().price())));
            }
            orders.add(map("orderId", f.idNumber().valid(), "placedAt", f.timeAndDate().past(400, java.util.concurrent.TimeUnit.DAYS).toString(),
                    "items", items, "shipped", f.bool().bool()));
        }
        return map("last_modified", Timestamps.format(NOW), "firstName", f.name().firstName(),
                "lastName", f.name().lastName(), "email", f.internet().emailAddress(),
                "birthday", f.timeAndDate().birthday().toString(),
                "address", map("street", f.address().streetAddress(), "city", f.address().city(),
                        "zipCode", f.address().zipCode(), "countryCode", f.address().countryCode(),
                        "geo", map("lat", new BigDecimal(f.address().latitude().replace(',', '.')),
                                "lon", new BigDecimal(f.address().longitude().replace(',', '.')))),
                "phoneNumbers", List.of(f.phoneNumber().cellPhone(), f.phoneNumber().phoneNumber()),
                "loyaltyPoints", f.random().nextLong(0, 5_000_000_000L), "vip", f.bool().bool(),
                "orders", orders, "notes", f.bool().bool() ? null : f.lorem().paragraph());
    }

    private static Map<String, Object> product(Faker f) {
        return map("last_modified", Timestamps.format(NOW), "productName", f.commerce().productName(),
                "price", new BigDecimal(f.commerce().price()), "department", f.commerce().department(),
                "material", f.commerce().material(), "inStock", f.bool().bool(),
                "dimensions", map("w", f.random().nextInt(1, 200), "h", f.random().nextInt(1, 200),
                        "d", new BigDecimal(f.random().nextInt(1, 999) + ".5")),
                "tags", f.lorem().words(f.random().nextInt(1, 5)),
                "rating", new BigDecimal(f.random().nextInt(10, 50)).movePointLeft(1),
                "reviews", f.random().nextInt(0, 100_000));
    }

    private static Map<String, Object> logLine(Faker f) {
        return map("last_modified", Timestamps.format(NOW), "level", f.options().option("INFO", "WARN", "ERROR"),
                "message", f.lorem().sentence(12), "host.name", f.internet().domainName(),
                "user-agent", f.internet().userAgent(), "client.ip", f.internet().ipV4Address(),
                "http", map("method", f.options().option("GET", "POST"), "status", f.options().option(200, 404, 500),
                        "bytes", f.random().nextLong(0, 10_000_000L)),
                "labels", map("env", f.options().option("prod", "staging"), "team", f.team().name()));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}

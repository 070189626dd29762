package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/** Every CQL type, both ways: the values that come back are the values that went out. */
class TypeRoundTripIT {

    private static final Instant T0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);

    private static final List<String> COLUMNS = List.of(
            "a_ascii ascii", "a_text text", "a_varchar varchar", "a_tinyint tinyint", "a_smallint smallint",
            "a_int int", "a_bigint bigint", "a_varint varint", "a_decimal decimal", "a_float float",
            "a_double double", "a_boolean boolean", "a_timestamp timestamp", "a_date date", "a_time time",
            "a_uuid uuid", "a_timeuuid timeuuid", "a_inet inet", "a_blob blob", "a_duration duration",
            "a_list list<int>", "a_set set<text>", "a_map map<text, decimal>", "a_udt frozen<address>",
            "a_tuple frozen<tuple<int, text, timestamp>>", "a_null text", "a_unicode text");

    private static TestStores storesWithEveryType(String scenario) {
        TestStores stores = TestStores.fresh(scenario);
        stores.createKeyspace();
        stores.cql("CREATE TYPE " + stores.keyspace() + ".address (street text, zip int)");
        stores.createTable(COLUMNS.toArray(String[]::new));
        stores.createIndex();
        return stores;
    }

    /** One value of every type, as the driver represents it. */
    private static Map<String, Object> values(TestStores stores) throws Exception {
        UserDefinedType address = stores.cassandra().getMetadata().getKeyspace(stores.keyspace()).orElseThrow()
                .getUserDefinedType("address").orElseThrow();
        var tupleType = com.datastax.oss.driver.api.core.type.DataTypes.tupleOf(
                com.datastax.oss.driver.api.core.type.DataTypes.INT, com.datastax.oss.driver.api.core.type.DataTypes.TEXT,
                com.datastax.oss.driver.api.core.type.DataTypes.TIMESTAMP);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("a_ascii", "plain ascii");
        v.put("a_text", "text with \"quotes\" and \\ backslash");
        v.put("a_varchar", "varchar");
        v.put("a_tinyint", (byte) -7);
        v.put("a_smallint", (short) 1234);
        v.put("a_int", -123456);
        v.put("a_bigint", 9007199254740993L); // not representable as a double
        v.put("a_varint", new BigInteger("123456789012345678901234567890"));
        v.put("a_decimal", new BigDecimal("1.50"));
        v.put("a_float", 1.25f);
        v.put("a_double", 0.1d);
        v.put("a_boolean", true);
        v.put("a_timestamp", Instant.parse("2024-02-29T23:59:59.123Z"));
        v.put("a_date", LocalDate.of(2024, 2, 29));
        v.put("a_time", LocalTime.of(23, 59, 59, 123456789));
        v.put("a_uuid", UUID.randomUUID());
        v.put("a_timeuuid", Uuids.timeBased());
        v.put("a_inet", InetAddress.getByName("2001:db8::1"));
        v.put("a_blob", ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}));
        v.put("a_duration", CqlDuration.from("1mo2d3h4m5s6ms7us8ns"));
        v.put("a_list", List.of(3, 1, 2));
        v.put("a_set", Set.of("b", "a"));
        v.put("a_map", Map.of("x", new BigDecimal("1.50"), "y", new BigDecimal("-2")));
        v.put("a_udt", address.newValue("Rue de l'Été", 75001));
        v.put("a_tuple", tupleType.newValue(1, "one", Instant.parse("2020-01-01T00:00:00.001Z")));
        v.put("a_null", null);
        v.put("a_unicode", "Ünïcödé 東京 🚀");
        return v;
    }

    private static void insert(TestStores stores, UUID id, Instant lastModified, Map<String, Object> values) {
        stores.insertInto(values.keySet().toArray(String[]::new)).row(id, lastModified, values.values().toArray());
    }

    private static void assertRowHolds(Row row, Map<String, Object> expected) {
        expected.forEach((column, value) -> {
            Object actual = row.getObject(column);
            if (value instanceof com.datastax.oss.driver.api.core.data.UdtValue
                    || value instanceof com.datastax.oss.driver.api.core.data.TupleValue) {
                assertThat(String.valueOf(actual)).as(column).isEqualTo(String.valueOf(value));
            } else if (value instanceof BigDecimal d) {
                assertThat((BigDecimal) actual).as(column).isEqualTo(d); // equals: same digits and scale
            } else {
                assertThat(actual).as(column).isEqualTo(value);
            }
        });
    }

    @Test
    void every_cql_type_survives_cassandra_to_elasticsearch_to_cassandra() throws Exception {
        try (TestStores stores = storesWithEveryType("types_c")) {
            UUID id = UUID.randomUUID();
            Map<String, Object> original = values(stores);
            insert(stores, id, T0, original);
            RunningDaemon.runOneCycle(stores.daemonProperties());

            Map<String, Object> doc = new LinkedHashMap<>(stores.document(id).orElseThrow());
            assertThat(doc.get("a_decimal")).isEqualTo(new BigDecimal("1.50"));
            assertThat(doc.get("a_bigint")).isEqualTo(9007199254740993L);
            assertThat(doc.get("a_timestamp")).isEqualTo("2024-02-29T23:59:59.123Z");
            // an application touches the document in Elasticsearch without changing its values
            Instant touched = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            doc.put("last_modified", Timestamps.format(touched));
            stores.index(id, doc);
            stores.refresh();
            RunningDaemon.runOneCycle(stores.daemonProperties());

            Row row = stores.cassandraRow(id).orElseThrow();
            assertThat(row.getInstant("last_modified")).as("came back from Elasticsearch").isEqualTo(touched);
            assertRowHolds(row, original);
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void every_cql_type_survives_elasticsearch_to_cassandra_to_elasticsearch() throws Exception {
        try (TestStores stores = storesWithEveryType("types_e")) {
            // the JSON form of every type, as it stands in Elasticsearch
            UUID seed = UUID.randomUUID();
            insert(stores, seed, T0, values(stores));
            RunningDaemon.runOneCycle(stores.daemonProperties());
            Map<String, Object> original = new LinkedHashMap<>(stores.document(seed).orElseThrow());

            UUID id = UUID.randomUUID();
            original.put("last_modified", Timestamps.format(Instant.now()));
            stores.index(id, original);
            stores.refresh();
            RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(stores.cassandraRow(id)).isPresent();
            // an application touches the row in Cassandra without changing its values
            Instant touched = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            stores.cql("UPDATE " + stores.qualifiedTable() + " SET last_modified = ? WHERE id = ?", touched, id);
            RunningDaemon.runOneCycle(stores.daemonProperties());

            Map<String, Object> back = new LinkedHashMap<>(stores.document(id).orElseThrow());
            assertThat(back.remove("last_modified")).isEqualTo(Timestamps.format(touched));
            original.remove("last_modified");
            assertThat(back).isEqualTo(original);
            stores.assertBothStoresHoldTheSameRecords();
        }
    }
}

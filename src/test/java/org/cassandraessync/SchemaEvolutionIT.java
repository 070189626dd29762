package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import co.elastic.clients.elasticsearch._types.mapping.Property;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.cassandra.RowLayout;
import org.cassandraessync.elasticsearch.IndexMapping;
import org.cassandraessync.record.Json;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.schema.SchemaEvolution;
import org.cassandraessync.state.DeadLetters;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

class SchemaEvolutionIT {

    private static final Instant T0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

    @Test
    void new_field_in_elasticsearch_becomes_a_cassandra_column() {
        try (TestStores stores = TestStores.fresh("new_field")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.index(id, Map.of("last_modified", Timestamps.format(T0), "name", "x", "rating", 5,
                    "verified", true));
            stores.refresh();

            RunningDaemon.runOneCycle(stores.daemonProperties());

            var row = stores.cassandraRow(id).orElseThrow();
            assertThat(row.getLong("rating")).isEqualTo(5L);
            assertThat(row.getBoolean("verified")).isTrue();
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    /**
     * The daemon read the index's mapping a moment before an application indexed a document with a
     * new field; the search that finds the document comes after. The field still becomes a column
     * (a stale mapping would have put it in the overflow column for good).
     */
    @Test
    void a_field_indexed_just_after_the_mapping_was_read_still_becomes_a_column() {
        try (TestStores stores = TestStores.fresh("fresh_field")) {
            stores.createTable();
            stores.createIndex();
            ObjectMapper json = Json.newMapper();
            IndexMapping mapping = new IndexMapping(stores.elasticsearch(), stores.index());
            mapping.refresh();
            UUID id = UUID.randomUUID();
            stores.index(id, Map.of("last_modified", Timestamps.format(T0), "colour", "teal"));
            stores.refresh();

            CassandraTable table = new CassandraTable(stores.cassandra(), stores.keyspace(), stores.table(),
                    "last_modified");
            SchemaEvolution evolution = new SchemaEvolution(stores.cassandra(), table, stores.elasticsearch(),
                    stores.index(), mapping, new RowLayout(mapping::isStructured, json), Set.of("id", "last_modified"),
                    SchemaEvolution.Mode.ADD_COLUMNS, new DeadLetters(stores.stateDir(), "fresh_field", json));
            evolution.prepareForCassandra(List.of(new PendingWrite(new SyncRecord(id, T0, Map.of("colour", "teal"),
                    Side.ELASTICSEARCH), null)));

            List<String> columns = stores.cassandra().execute("SELECT column_name FROM system_schema.columns"
                    + " WHERE keyspace_name = ? AND table_name = ?", stores.keyspace(), stores.table()).all()
                    .stream().map(r -> r.getString("column_name")).toList();
            assertThat(columns).contains("colour").doesNotContain(RowLayout.OVERFLOW);
        }
    }

    @Test
    void a_sub_field_that_appears_later_inside_an_object_is_kept() {
        try (TestStores stores = TestStores.fresh("later_sub_field")) {
            stores.createIndex();
            UUID first = UUID.randomUUID();
            stores.index(first, Map.of("last_modified", Timestamps.format(Instant.now()),
                    "dimensions", Map.of("w", 10, "h", 30)));
            stores.refresh();
            RunningDaemon.runOneCycle(stores.daemonProperties());

            // the same object, one key more, in a later document
            UUID later = UUID.randomUUID();
            stores.index(later, Map.of("last_modified", Timestamps.format(Instant.now()),
                    "dimensions", Map.of("w", 10, "h", 30, "depth", Map.of("value", 5, "unit", "cm"))));
            stores.refresh();
            RunningDaemon.runOneCycle(stores.daemonProperties());

            assertThat(stores.cassandraRow(later).orElseThrow().getString("dimensions"))
                    .contains("\"depth\":{").contains("\"unit\":\"cm\"");
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void a_field_first_seen_as_a_scalar_then_as_an_array_loses_nothing() {
        try (TestStores stores = TestStores.fresh("scalar_then_array")) {
            stores.createIndex();
            UUID scalar = UUID.randomUUID();
            stores.index(scalar, Map.of("last_modified", Timestamps.format(Instant.now()), "color", "red"));
            stores.refresh();
            RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(stores.cassandraRow(scalar).orElseThrow().getString("color")).isEqualTo("red");

            UUID array = UUID.randomUUID();
            stores.index(array, Map.of("last_modified", Timestamps.format(Instant.now()),
                    "color", List.of("red", "blue")));
            stores.refresh();
            RunningDaemon.runOneCycle(stores.daemonProperties());

            var row = stores.cassandraRow(array).orElseThrow();
            assertThat(row.isNull("color")).as("the text column").isTrue();
            assertThat(row.getString("\"_sync_overflow\"")).isEqualTo("{\"color\":[\"red\",\"blue\"]}");

            // changed in Cassandra, the array goes back to Elasticsearch as an array
            Instant touched = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            stores.cql("UPDATE " + stores.qualifiedTable() + " SET last_modified = ? WHERE id = ?", touched, array);
            RunningDaemon.runOneCycle(stores.daemonProperties());
            assertThat(stores.document(array)).hasValue(Map.of("last_modified", Timestamps.format(touched),
                    "color", List.of("red", "blue")));
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    @Test
    void cassandra_only_column_gets_an_explicit_elasticsearch_mapping() throws IOException {
        try (TestStores stores = TestStores.fresh("new_column")) {
            stores.createTable("price decimal", "photo blob", "tags set<text>");
            stores.createIndex();

            RunningDaemon.runOneCycle(stores.daemonProperties());

            Map<String, Property> mapping = stores.elasticsearch().indices().getMapping(g -> g.index(stores.index()))
                    .result().values().iterator().next().mappings().properties();
            assertThat(mapping.get("price").isDouble()).isTrue();
            assertThat(mapping.get("photo").isKeyword()).as("0x… hex, not base64 binary").isTrue();
            assertThat(mapping.get("tags").isText()).isTrue();
        }
    }

    @Test
    void with_reject_a_record_with_an_unknown_field_is_quarantined() {
        try (TestStores stores = TestStores.fresh("reject_field")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.index(id, Map.of("last_modified", Timestamps.format(T0), "name", "x", "surprise", "!"));
            stores.refresh();
            Map<String, String> properties = new java.util.HashMap<>(stores.daemonProperties());
            properties.put("sync.cassandra.schema-evolution", "reject");

            var cycle = RunningDaemon.runOneCycle(properties);

            assertThat(cycle.rejected()).isEqualTo(1);
            assertThat(stores.cassandraRow(id)).isEmpty();
            assertThat(stores.cassandra().getMetadata().getKeyspace(stores.keyspace()).orElseThrow()
                    .getTable(stores.table()).orElseThrow().getColumn("surprise")).isEmpty();
        }
    }
}

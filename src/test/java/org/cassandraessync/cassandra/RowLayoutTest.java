package org.cassandraessync.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import org.cassandraessync.record.Json;
import org.junit.jupiter.api.Test;

/** Where each kind of value goes in a row: its typed column only when it comes back exactly. */
class RowLayoutTest {

    private final RowLayout layout = new RowLayout(Set.of("dimensions")::contains, Json.newMapper());

    private static Map<String, DataType> columns(Object... nameAndType) {
        Map<String, DataType> columns = new LinkedHashMap<>();
        for (int i = 0; i < nameAndType.length; i += 2) {
            columns.put((String) nameAndType[i], (DataType) nameAndType[i + 1]);
        }
        columns.put(RowLayout.OVERFLOW, DataTypes.TEXT);
        return columns;
    }

    private static Map<String, Object> fields(Object... nameAndValue) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameAndValue.length; i += 2) {
            fields.put((String) nameAndValue[i], nameAndValue[i + 1]);
        }
        return fields;
    }

    @Test
    void values_that_fit_go_to_their_typed_columns_and_the_overflow_is_cleared() {
        RowLayout.Placement p = layout.place(
                fields("inStock", true, "price", new BigDecimal("19.90"), "tags", List.of("home", "light")),
                columns("inStock", DataTypes.BOOLEAN, "price", DataTypes.DECIMAL, "tags", DataTypes.listOf(DataTypes.TEXT)),
                Set.of());

        assertThat(p.columns()).containsEntry("inStock", true).containsEntry("price", new BigDecimal("19.90"))
                .containsEntry("tags", List.of("home", "light")).containsEntry(RowLayout.OVERFLOW, null);
        assertThat(p.misfits()).isEmpty();
    }

    @Test
    void an_object_in_a_json_column_is_its_json_text() {
        RowLayout.Placement p = layout.place(fields("dimensions", fields("w", 10, "h", 30)),
                columns("dimensions", DataTypes.TEXT), Set.of());

        assertThat(p.columns()).containsEntry("dimensions", "{\"w\":10,\"h\":30}");
    }

    @Test
    void values_no_column_holds_exactly_go_to_the_overflow_and_their_column_is_nulled() {
        RowLayout.Placement p = layout.place(fields(
                        "quantity", "many", // a string where the column is an int
                        "color", List.of("red", "blue"), // an array where the column holds one value
                        "sizes", List.of(), // Cassandra stores an empty list as null
                        "codes", java.util.Arrays.asList("a", null), // a null inside a list
                        "ratio", new BigDecimal("0.123456789"), // a float would round it
                        "note", null, // an explicit null
                        "unknown", 1), // no column at all
                columns("quantity", DataTypes.INT, "color", DataTypes.TEXT, "sizes", DataTypes.listOf(DataTypes.INT),
                        "codes", DataTypes.listOf(DataTypes.TEXT), "ratio", DataTypes.FLOAT, "note", DataTypes.TEXT),
                Set.of());

        assertThat(p.misfits()).containsOnlyKeys("quantity", "color", "sizes", "codes", "ratio", "unknown");
        assertThat(p.columns()).containsEntry("quantity", null).containsEntry("color", null)
                .containsEntry("note", null).doesNotContainKey("unknown");
        assertThat((String) p.columns().get(RowLayout.OVERFLOW)).isEqualTo("{\"quantity\":\"many\","
                + "\"color\":[\"red\",\"blue\"],\"sizes\":[],\"codes\":[\"a\",null],\"ratio\":0.123456789,"
                + "\"note\":null,\"unknown\":1}");
    }

    @Test
    void without_an_overflow_column_explicit_nulls_are_dropped_and_misfits_reported() {
        Map<String, DataType> columns = Map.of("quantity", DataTypes.INT, "note", DataTypes.TEXT);
        RowLayout.Placement p = layout.place(fields("note", null, "quantity", "many"), columns, Set.of());

        assertThat(p.overflow()).containsOnlyKeys("quantity");
        assertThat(p.needsOverflow()).isTrue();
        assertThat(layout.place(fields("note", null), columns, Set.of()).needsOverflow()).isFalse();
    }

    @Test
    void columns_of_fields_the_new_version_lost_are_cleared() {
        RowLayout.Placement p = layout.place(fields("name", "lamp"),
                columns("name", DataTypes.TEXT, "color", DataTypes.TEXT), Set.of("name", "color", "gone"));

        assertThat(p.columns()).containsEntry("name", "lamp").containsEntry("color", null).doesNotContainKey("gone");
    }

    @Test
    void numbers_fit_only_where_they_keep_their_value() {
        assertThat(CqlJsonValues.misfit(DataTypes.FLOAT, new BigDecimal("19.90"))).isNull();
        assertThat(CqlJsonValues.misfit(DataTypes.DECIMAL, new BigDecimal("19.90"))).isNull();
        assertThat(CqlJsonValues.misfit(DataTypes.INT, 3_000_000_000L)).contains("not a valid int");
        assertThat(CqlJsonValues.misfit(DataTypes.BIGINT, new BigDecimal("1.5"))).contains("not a valid bigint");
        assertThat(CqlJsonValues.misfit(DataTypes.VARINT, new BigInteger("18446744073709551615"))).isNull();
        assertThat(CqlJsonValues.misfit(DataTypes.BIGINT, "12")).contains("not a number");
    }

    @Test
    void strings_fit_text_and_typed_columns_that_read_them() {
        assertThat(CqlJsonValues.misfit(DataTypes.TEXT, 12)).contains("not a string");
        assertThat(CqlJsonValues.misfit(DataTypes.BOOLEAN, "true")).contains("not true or false");
        assertThat(CqlJsonValues.misfit(DataTypes.TIMESTAMP, "2026-05-01T10:00:00+02:00")).isNull();
        assertThat(CqlJsonValues.misfit(DataTypes.TIMESTAMP, "yesterday")).contains("not a valid timestamp");
        assertThat(CqlJsonValues.misfit(DataTypes.ASCII, "café")).contains("not an ASCII string");
    }

    @Test
    void collections_fit_when_non_empty_without_nulls_and_sets_without_duplicates() {
        assertThat(CqlJsonValues.misfit(DataTypes.setOf(DataTypes.TEXT), List.of("a", "a"))).contains("duplicate");
        assertThat(CqlJsonValues.misfit(DataTypes.setOf(DataTypes.TEXT), List.of("b", "a"))).isNull();
        assertThat(CqlJsonValues.misfit(DataTypes.vectorOf(DataTypes.FLOAT, 3), List.of(0.5, 0.25, 1))).isNull();
        assertThat(CqlJsonValues.misfit(DataTypes.vectorOf(DataTypes.FLOAT, 3), List.of(0.5, 0.25))).contains("3 elements");
        assertThat(CqlJsonValues.misfit(DataTypes.mapOf(DataTypes.TEXT, DataTypes.INT), Map.of("a", "x")))
                .contains("not a number");
    }

    @Test
    void elasticsearch_values_are_compared_in_the_form_they_come_back_from_cassandra() {
        assertThat(layout.canonical("at", DataTypes.TIMESTAMP, "2026-05-01T10:00:00+02:00"))
                .isEqualTo("2026-05-01T08:00:00.000Z");
        assertThat(layout.canonical("quantity", DataTypes.INT, "many")).isEqualTo("many");
        Map<String, Object> dimensions = fields("w", 10);
        assertThat(layout.canonical("dimensions", DataTypes.TEXT, dimensions)).isSameAs(dimensions);
    }
}

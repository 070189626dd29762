package org.cassandraessync.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.cassandraessync.elasticsearch.IndexMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The column an Elasticsearch-only field gets, for every field type (the table in docs/type-mapping.md). */
class TypeMappingTest {

    private static String columnFor(String type, Object... values) {
        return TypeMapping.cassandraFor(new IndexMapping.Field(type, null, false), Arrays.asList(values))
                .asCql(false, true);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "text, text", "match_only_text, text", "keyword, text", "constant_keyword, text", "wildcard, text",
            "version, text", "search_as_you_type, text", "ip, text", "date, text", "date_nanos, text",
            "binary, text", "long, bigint", "integer, int", "token_count, int", "short, smallint",
            "byte, tinyint", "unsigned_long, varint", "double, decimal", "float, decimal", "half_float, decimal",
            "scaled_float, decimal", "rank_feature, decimal", "boolean, boolean",
            // structured: JSON text
            "object, text", "nested, text", "flattened, text", "geo_point, text", "geo_shape, text", "point, text",
            "shape, text", "integer_range, text", "long_range, text", "float_range, text", "double_range, text",
            "date_range, text", "ip_range, text", "histogram, text", "sparse_vector, text", "rank_features, text",
            "aggregate_metric_double, text", "join, text", "percolator, text", "passthrough, text",
            "completion, text", "semantic_text, text", "some_future_type, text"})
    void every_elasticsearch_type_has_a_column_type(String type, String column) {
        assertThat(columnFor(type, "a value")).isEqualTo(column);
    }

    @Test
    void structured_types_are_json_columns_and_scalars_are_not() {
        assertThat(new IndexMapping.Field("object", null, false).structured()).isTrue();
        assertThat(new IndexMapping.Field("geo_point", null, false).structured()).isTrue();
        assertThat(new IndexMapping.Field("some_future_type", null, false).structured()).isTrue();
        assertThat(new IndexMapping.Field("keyword", null, false).structured()).isFalse();
        assertThat(new IndexMapping.Field("dense_vector", 3, true).structured()).isFalse();
        assertThat(new IndexMapping.Field("dense_vector", 3, false).structured()).as("byte vectors").isTrue();
    }

    @Test
    void a_float_dense_vector_is_a_cql_vector_of_its_dimensions() {
        assertThat(TypeMapping.cassandraFor(new IndexMapping.Field("dense_vector", 384, true), List.of())
                .asCql(false, true)).isEqualTo("vector<float, 384>");
    }

    @Test
    void arrays_in_every_value_make_a_list_and_a_single_scalar_keeps_the_scalar_type() {
        assertThat(columnFor("keyword", List.of("home", "light"), null, List.of("garden"))).isEqualTo("list<text>");
        assertThat(columnFor("long", List.of(1, 2), 3)).isEqualTo("bigint");
        assertThat(columnFor("long", List.of())).as("an empty array says nothing").isEqualTo("bigint");
        assertThat(columnFor("object", List.of(Map.of("a", 1)))).as("an array of objects").isEqualTo("text");
    }

    @Test
    void a_field_the_index_does_not_map_gets_no_column() {
        assertThat(TypeMapping.cassandraFor(null, List.of("x"))).isNull();
    }
}

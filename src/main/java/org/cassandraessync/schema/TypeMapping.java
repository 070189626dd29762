package org.cassandraessync.schema;

import java.util.Map;
import java.util.Collection;

import co.elastic.clients.elasticsearch._types.mapping.Property;
import org.cassandraessync.elasticsearch.IndexMapping;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.VectorType;
import com.datastax.oss.protocol.internal.ProtocolConstants;

/**
 * The type-mapping table between CQL column types and Elasticsearch field mappings, used when a
 * column exists only in Cassandra (it gets an explicit mapping) or a field exists only in
 * Elasticsearch (it becomes a Cassandra column). Values themselves always travel in the JSON form
 * of {@code CqlJsonValues}; the document source keeps them exactly, whatever the index mapping.
 */
public final class TypeMapping {

    private TypeMapping() {
    }

    /** The Elasticsearch mapping for a Cassandra column type. */
    public static Property elasticsearchFor(DataType type) {
        switch (type.getProtocolCode()) {
            case ProtocolConstants.DataType.ASCII:
            case ProtocolConstants.DataType.VARCHAR:
                return Property.of(p -> p.text(t -> t.fields("keyword", k -> k.keyword(kw -> kw.ignoreAbove(256)))));
            case ProtocolConstants.DataType.TINYINT:
                return Property.of(p -> p.byte_(b -> b));
            case ProtocolConstants.DataType.SMALLINT:
                return Property.of(p -> p.short_(s -> s));
            case ProtocolConstants.DataType.INT:
                return Property.of(p -> p.integer(i -> i));
            case ProtocolConstants.DataType.BIGINT:
            case ProtocolConstants.DataType.COUNTER:
                return Property.of(p -> p.long_(l -> l));
            case ProtocolConstants.DataType.FLOAT:
                return Property.of(p -> p.float_(f -> f));
            case ProtocolConstants.DataType.DOUBLE:
            case ProtocolConstants.DataType.DECIMAL:
                // searchable as a double; the source keeps every digit and the scale
                return Property.of(p -> p.double_(d -> d));
            case ProtocolConstants.DataType.BOOLEAN:
                return Property.of(p -> p.boolean_(b -> b));
            case ProtocolConstants.DataType.TIMESTAMP:
                return Property.of(p -> p.date(d -> d));
            case ProtocolConstants.DataType.DATE:
                return Property.of(p -> p.date(d -> d.format("strict_date")));
            case ProtocolConstants.DataType.INET:
                return Property.of(p -> p.ip(i -> i));
            case ProtocolConstants.DataType.LIST:
                return elasticsearchFor(((ListType) type).getElementType());
            case ProtocolConstants.DataType.SET:
                return elasticsearchFor(((SetType) type).getElementType());
            case ProtocolConstants.DataType.UDT:
                UserDefinedType udt = (UserDefinedType) type;
                return Property.of(p -> p.object(o -> {
                    for (int i = 0; i < udt.getFieldNames().size(); i++) {
                        o.properties(udt.getFieldNames().get(i).asInternal(),
                                elasticsearchFor(udt.getFieldTypes().get(i)));
                    }
                    return o;
                }));
            case ProtocolConstants.DataType.MAP:
                // arbitrary keys: kept in the source, not indexed (no mapping explosion)
                return Property.of(p -> p.object(o -> o.enabled(false)));
            default:
                if (type instanceof VectorType v) {
                    return elasticsearchFor(v.getElementType());
                }
                // varint (beyond long), time, uuid, timeuuid, blob (0x… hex), duration, tuple
                return Property.of(p -> p.keyword(k -> k.ignoreAbove(8191)));
        }
    }

    /**
     * The column type of a scalar Elasticsearch field. Text-like types, dates and addresses become
     * {@code text}, kept character for character (a date written "2026-05-01" or an IPv6 address in
     * its short form comes back as written); integers the CQL integer of the same range; every
     * floating type {@code decimal}, which keeps the value as written (19.90 stays 19.90, where a
     * CQL float would hold 19.899999).
     */
    private static final Map<String, DataType> CQL_FOR_SCALAR = Map.ofEntries(
            Map.entry("text", DataTypes.TEXT),
            Map.entry("match_only_text", DataTypes.TEXT),
            Map.entry("keyword", DataTypes.TEXT),
            Map.entry("constant_keyword", DataTypes.TEXT),
            Map.entry("wildcard", DataTypes.TEXT),
            Map.entry("version", DataTypes.TEXT),
            Map.entry("search_as_you_type", DataTypes.TEXT),
            Map.entry("ip", DataTypes.TEXT),
            Map.entry("date", DataTypes.TEXT),
            Map.entry("date_nanos", DataTypes.TEXT),
            Map.entry("binary", DataTypes.TEXT),
            Map.entry("long", DataTypes.BIGINT),
            Map.entry("integer", DataTypes.INT),
            Map.entry("token_count", DataTypes.INT),
            Map.entry("short", DataTypes.SMALLINT),
            Map.entry("byte", DataTypes.TINYINT),
            Map.entry("unsigned_long", DataTypes.VARINT),
            Map.entry("double", DataTypes.DECIMAL),
            Map.entry("float", DataTypes.DECIMAL),
            Map.entry("half_float", DataTypes.DECIMAL),
            Map.entry("scaled_float", DataTypes.DECIMAL),
            Map.entry("rank_feature", DataTypes.DECIMAL),
            Map.entry("boolean", DataTypes.BOOLEAN));

    /**
     * The column type for a field that exists only in Elasticsearch, from its mapping and the values
     * about to be written: a structured type (object, nested, flattened, geo, range...) is a JSON
     * {@code text} column; a float {@code dense_vector} a {@code vector<float, n>}; a scalar type its
     * column type, or a {@code list} of it when every value is an array. Null when the index does not
     * map the field: its values then go to the overflow column.
     */
    public static DataType cassandraFor(IndexMapping.Field field, Collection<Object> values) {
        if (field == null) {
            return null;
        }
        if (field.isFloatVector()) {
            return DataTypes.vectorOf(DataTypes.FLOAT, field.dimensions());
        }
        DataType scalar = CQL_FOR_SCALAR.get(field.type());
        if (field.structured() || scalar == null) {
            return DataTypes.TEXT;
        }
        boolean arrays = values.stream().anyMatch(java.util.Objects::nonNull)
                && values.stream().allMatch(v -> v == null || v instanceof java.util.List<?> l && !l.isEmpty());
        return arrays ? DataTypes.listOf(scalar) : scalar;
    }
}

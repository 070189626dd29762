package org.cassandraessync.schema;

import java.util.Map;
import java.util.Optional;

import co.elastic.clients.elasticsearch._types.mapping.Property;
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

    private static final Map<String, DataType> CQL_FOR_ELASTICSEARCH = Map.ofEntries(
            Map.entry("text", DataTypes.TEXT),
            Map.entry("match_only_text", DataTypes.TEXT),
            Map.entry("keyword", DataTypes.TEXT),
            Map.entry("constant_keyword", DataTypes.TEXT),
            Map.entry("wildcard", DataTypes.TEXT),
            Map.entry("long", DataTypes.BIGINT),
            Map.entry("integer", DataTypes.INT),
            Map.entry("short", DataTypes.SMALLINT),
            Map.entry("byte", DataTypes.TINYINT),
            Map.entry("double", DataTypes.DOUBLE),
            Map.entry("scaled_float", DataTypes.DOUBLE),
            Map.entry("float", DataTypes.FLOAT),
            Map.entry("half_float", DataTypes.FLOAT),
            Map.entry("boolean", DataTypes.BOOLEAN),
            Map.entry("date", DataTypes.TIMESTAMP),
            Map.entry("date_nanos", DataTypes.TIMESTAMP),
            Map.entry("ip", DataTypes.INET));

    /** The Cassandra column type for an Elasticsearch field mapping, if there is a faithful one. */
    public static Optional<DataType> cassandraFor(String elasticsearchType) {
        return Optional.ofNullable(CQL_FOR_ELASTICSEARCH.get(elasticsearchType));
    }
}

package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;

/**
 * The synchronized index's field mappings as the sync needs them: each field by its full path
 * ({@code dimensions}, {@code dimensions.w}, and a dotted top-level name such as {@code a.b}, which
 * Elasticsearch maps as an object path), with its type and, for a dense vector, its dimensions.
 * Read once and again when a field it does not know is asked about (at most once a second), since
 * Elasticsearch's dynamic mapping adds fields as documents arrive.
 */
public class IndexMapping {

    /**
     * Field types whose values are not one scalar or an array of scalars: they travel through
     * Cassandra as JSON text. Any type not named in {@code TypeMapping}'s scalar table is treated
     * the same way, so a type added by a future Elasticsearch version is kept exactly as well.
     */
    private static final Set<String> SCALAR = Set.of("text", "match_only_text", "keyword", "constant_keyword",
            "wildcard", "version", "ip", "date", "date_nanos", "binary", "search_as_you_type", "long", "integer",
            "short", "byte", "unsigned_long", "token_count", "float", "half_float", "double", "scaled_float",
            "rank_feature", "boolean");

    /** One field's mapping: its type ({@code long}, {@code object}...) and a dense vector's size. */
    public record Field(String type, Integer dimensions, boolean floatElements) {

        /** True when the value is kept as JSON text in Cassandra (objects, geo shapes, ranges...). */
        public boolean structured() {
            return !SCALAR.contains(type) && !isFloatVector();
        }

        /** A {@code dense_vector} of floats with known dimensions: a CQL {@code vector<float, n>}. */
        public boolean isFloatVector() {
            return type.equals("dense_vector") && dimensions != null && floatElements;
        }
    }

    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final ElasticsearchClient client;
    private final String index;
    private volatile Map<String, Field> fields = Map.of();
    private volatile long readAt = System.nanoTime() - REFRESH_NANOS;

    public IndexMapping(ElasticsearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    /** The mapping of the field at {@code path}, or null when the index does not map it. */
    public Field field(String path) {
        Field f = fields.get(path);
        if (f == null && System.nanoTime() - readAt >= REFRESH_NANOS) {
            refresh();
            f = fields.get(path);
        }
        return f;
    }

    /** True when the index maps the field as a structured type, kept as JSON text in Cassandra. */
    public boolean isStructured(String path) {
        Field f = field(path);
        return f != null && f.structured();
    }

    /**
     * Reads the mapping again, once, when one of these fields is not in the mapping in hand: a
     * mapping read before their documents were indexed lacks them, however recent it is.
     */
    public void refreshUnlessMapped(Collection<String> paths) {
        if (!fields.keySet().containsAll(paths)) {
            refresh();
        }
    }

    /** Reads the mapping again now. */
    public synchronized void refresh() {
        try {
            Map<String, Field> read = new HashMap<>();
            flatten("", ElasticsearchIndex.properties(client, index), read);
            fields = read;
            readAt = System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mapping of " + index + ": " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, Map<String, Property> properties, Map<String, Field> out) {
        properties.forEach((name, p) -> {
            String path = prefix + name;
            String type = p._kind().jsonValue();
            Integer dims = p.isDenseVector() ? p.denseVector().dims() : null;
            boolean floats = p.isDenseVector() && (p.denseVector().elementType() == null
                    || "float".equalsIgnoreCase(String.valueOf(p.denseVector().elementType())));
            out.put(path, new Field(type, dims, floats));
            if (p.isObject()) {
                flatten(path + ".", p.object().properties(), out);
            } else if (p.isNested()) {
                flatten(path + ".", p.nested().properties(), out);
            }
        });
    }
}

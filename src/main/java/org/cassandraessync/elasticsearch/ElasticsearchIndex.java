package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the synchronized index exists with the timestamp field mapped as {@code date}; every
 * other field keeps the mapping Elasticsearch or its owners give it.
 */
public final class ElasticsearchIndex {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchIndex.class);

    private ElasticsearchIndex() {
    }

    /** Creates the index when {@code create} and it is missing; checks that the timestamp field is a date. */
    public static void ensure(ElasticsearchClient client, String index, String timestampField, boolean create) {
        try {
            boolean exists = client.indices().exists(e -> e.index(index)).value();
            if (!exists && create) {
                client.indices().create(c -> c.index(index)
                        .mappings(m -> m.properties(timestampField, p -> p.date(d -> d))));
                LOG.info("Created Elasticsearch index {}", index);
            } else if (!exists) {
                throw new IllegalStateException("Elasticsearch index " + index
                        + " does not exist (index); create it or set create-schema=true");
            }
            Property ts = properties(client, index).get(timestampField);
            if (ts != null && !ts.isDate() && !ts.isDateNanos()) {
                throw new IllegalStateException("Elasticsearch index " + index + " maps '" + timestampField
                        + "' as " + ts._kind().jsonValue() + "; it must be a date (timestamp-field)");
            }
            LOG.info("Elasticsearch index {} ready", index);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable: " + e.getMessage(), e);
        }
    }

    /** The field mappings of {@code index}, by field name. */
    public static Map<String, Property> properties(ElasticsearchClient client, String index) throws IOException {
        return client.indices().getMapping(g -> g.index(index)).result().values().iterator().next()
                .mappings().properties();
    }
}

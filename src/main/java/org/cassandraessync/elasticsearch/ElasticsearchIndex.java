package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import org.cassandraessync.config.SyncSettings;
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

    public static void ensure(ElasticsearchClient client, SyncSettings s) {
        String index = s.elasticsearchIndex();
        try {
            boolean exists = client.indices().exists(e -> e.index(index)).value();
            if (!exists && s.createSchema()) {
                client.indices().create(c -> c.index(index)
                        .mappings(m -> m.properties(s.timestampField(), p -> p.date(d -> d))));
                LOG.info("Created Elasticsearch index {}", index);
            } else if (!exists) {
                throw new IllegalStateException("Elasticsearch index " + index
                        + " does not exist (sync.elasticsearch.index); create it or set sync.create-schema=true");
            }
            Property ts = properties(client, index).get(s.timestampField());
            if (ts != null && !ts.isDate() && !ts.isDateNanos()) {
                throw new IllegalStateException("Elasticsearch index " + index + " maps '" + s.timestampField()
                        + "' as " + ts._kind().jsonValue() + "; it must be a date (sync.timestamp-field)");
            }
            LOG.info("Elasticsearch index {} ready", index);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch at " + s.elasticsearchHosts() + " unreachable: " + e.getMessage(), e);
        }
    }

    /** The field mappings of {@code index}, by field name. */
    public static Map<String, Property> properties(ElasticsearchClient client, String index) throws IOException {
        return client.indices().getMapping(g -> g.index(index)).result().values().iterator().next()
                .mappings().properties();
    }
}

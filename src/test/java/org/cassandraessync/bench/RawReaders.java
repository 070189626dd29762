package org.cassandraessync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

/**
 * Reads a whole table or index with the client libraries alone, no sync logic: the ceilings
 * {@code verify}'s rate is compared with. Cassandra: {@code SELECT *} in pages of 1,000;
 * Elasticsearch: a point-in-time with {@code search_after}, 1,000 documents a page.
 */
final class RawReaders {

    private RawReaders() {
    }

    /** Records per second of a full scan of {@code table}. */
    static double cassandra(CqlSession session, String table) {
        long start = System.nanoTime();
        long n = 0;
        for (var ignored : session.execute(SimpleStatement.newInstance("SELECT * FROM " + table).setPageSize(1000)
                .setTimeout(Duration.ofSeconds(60)))) {
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** Documents per second of a full read of {@code index}. */
    @SuppressWarnings("rawtypes")
    static double elasticsearch(ElasticsearchClient client, String index) {
        try {
            long start = System.nanoTime();
            String pit = client.openPointInTime(p -> p.index(index).keepAlive(k -> k.time("1m"))).id();
            long n = 0;
            List<FieldValue> after = null;
            while (true) {
                List<FieldValue> from = after;
                SearchResponse<Map> page = client.search(s -> {
                    s.size(1000).pit(p -> p.id(pit).keepAlive(k -> k.time("1m")))
                            .sort(o -> o.field(f -> f.field("_shard_doc")));
                    if (from != null) {
                        s.searchAfter(from);
                    }
                    return s;
                }, Map.class);
                List<Hit<Map>> hits = page.hits().hits();
                if (hits.isEmpty()) {
                    break;
                }
                n += hits.size();
                after = hits.get(hits.size() - 1).sort();
            }
            client.closePointInTime(c -> c.id(pit));
            return n / ((System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

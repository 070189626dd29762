package org.cassandraessync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import org.cassandraessync.bench.BenchRecords.BenchRecord;

/**
 * The physical limit of a copy on this machine: every record of one store written into the other
 * with the same client libraries the daemon uses and no sync logic at all (no change detection,
 * no look-up of the other side, no checkpoint), the next page read while the current one is
 * written. The backfills are compared with it: what the sync costs beyond moving the data.
 */
final class RawCopiers {

    static final int PAGE_SIZE = 1000;
    static final String CASSANDRA_TO_ELASTICSEARCH = "SELECT * in token order, pages of " + PAGE_SIZE
            + ", one page ahead; bulk of " + RawWriters.BULK_SIZE + ", " + RawWriters.BULK_IN_FLIGHT + " in flight";
    static final String ELASTICSEARCH_TO_CASSANDRA = "point-in-time + search_after, " + PAGE_SIZE
            + " a page, one page ahead; prepared INSERT, async, " + RawWriters.CASSANDRA_IN_FLIGHT + " in flight";

    private RawCopiers() {
    }

    /** Copies every row of {@code table} into {@code index}; answers the records copied. */
    static long cassandraToElasticsearch(CqlSession session, String table, ElasticsearchClient client, String index) {
        long copied = 0;
        try (RawWriters.Bulks bulks = new RawWriters.Bulks(client)) {
            AsyncResultSet page = session.executeAsync(SimpleStatement.newInstance("SELECT * FROM " + table)
                    .setPageSize(PAGE_SIZE).setTimeout(Duration.ofSeconds(60))).toCompletableFuture().join();
            while (true) {
                // the next page is on its way while this one is converted and sent
                CompletableFuture<AsyncResultSet> next = page.hasMorePages()
                        ? page.fetchNextPage().toCompletableFuture() : null;
                BulkRequest.Builder bulk = new BulkRequest.Builder();
                int inBulk = 0;
                for (Row row : page.currentPage()) {
                    BenchRecord r = BenchRecords.fromRow(row);
                    bulk.operations(o -> o.index(i -> i.index(index).id(r.id().toString()).document(r.document())));
                    inBulk++;
                }
                if (inBulk > 0) {
                    bulks.send(bulk.build());
                    copied += inBulk;
                }
                if (next == null) {
                    break;
                }
                page = next.join();
            }
            bulks.awaitAll();
        }
        return copied;
    }

    /** Copies every document of {@code index} into {@code table}; answers the records copied. */
    @SuppressWarnings("rawtypes")
    static long elasticsearchToCassandra(ElasticsearchClient client, String index, CqlSession session, String table) {
        PreparedStatement insert = session.prepare(String.format(BenchRecords.INSERT_CQL, table));
        RawWriters.Inserts inserts = new RawWriters.Inserts(session);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        long copied = 0;
        String pit = openPointInTime(client, index);
        try {
            CompletableFuture<List<Hit<Map>>> next = CompletableFuture.supplyAsync(() -> page(client, pit, null),
                    reader);
            while (true) {
                List<Hit<Map>> hits = next.join();
                if (hits.isEmpty()) {
                    break;
                }
                // the next page is read while this one is written
                List<FieldValue> after = hits.get(hits.size() - 1).sort();
                next = CompletableFuture.supplyAsync(() -> page(client, pit, after), reader);
                for (Hit<Map> hit : hits) {
                    inserts.add(insert.bind(BenchRecords.fromDocument(hit.id(), hit.source()).cqlValues()));
                }
                copied += hits.size();
            }
            inserts.awaitAll();
        } finally {
            reader.shutdown();
            closePointInTime(client, pit);
        }
        return copied;
    }

    @SuppressWarnings("rawtypes")
    private static List<Hit<Map>> page(ElasticsearchClient client, String pit, List<FieldValue> after) {
        try {
            return client.search(s -> {
                s.size(PAGE_SIZE).pit(p -> p.id(pit).keepAlive(k -> k.time("1m")))
                        .sort(o -> o.field(f -> f.field("_shard_doc")));
                if (after != null) {
                    s.searchAfter(after);
                }
                return s;
            }, Map.class).hits().hits();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String openPointInTime(ElasticsearchClient client, String index) {
        try {
            return client.openPointInTime(p -> p.index(index).keepAlive(k -> k.time("1m"))).id();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closePointInTime(ElasticsearchClient client, String pit) {
        try {
            client.closePointInTime(c -> c.id(pit));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

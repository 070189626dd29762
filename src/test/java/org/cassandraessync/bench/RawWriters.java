package org.cassandraessync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import org.cassandraessync.bench.BenchRecords.BenchRecord;

/**
 * Writes records straight into a store with the same client libraries the daemon uses and no sync
 * logic at all: the ceilings the sync's write rates are compared with. Cassandra: one prepared,
 * typed INSERT per record, asynchronous, {@value #CASSANDRA_IN_FLIGHT} in flight. Elasticsearch:
 * bulk requests of {@value #BULK_SIZE} documents, {@value #BULK_IN_FLIGHT} in flight.
 */
final class RawWriters {

    static final int CASSANDRA_IN_FLIGHT = 128;
    static final int BULK_SIZE = 1000;
    static final int BULK_IN_FLIGHT = 2;

    private RawWriters() {
    }

    /** Writes records 0..count-1 of {@code records} to the table; answers the records per second. */
    static double cassandra(CqlSession session, String table, long count, LongFunction<BenchRecord> records) {
        PreparedStatement insert = session.prepare(String.format(BenchRecords.INSERT_CQL, table));
        Inserts inserts = new Inserts(session);
        long start = System.nanoTime();
        for (long n = 0; n < count; n++) {
            inserts.add(insert.bind(records.apply(n).cqlValues()));
        }
        inserts.awaitAll();
        return count / seconds(start);
    }

    /** Indexes records 0..count-1 of {@code records}; answers the records per second. */
    static double elasticsearch(ElasticsearchClient client, String index, long count,
            LongFunction<BenchRecord> records) {
        long start = System.nanoTime();
        try (Bulks bulks = new Bulks(client)) {
            for (long from = 0; from < count; from += BULK_SIZE) {
                BulkRequest.Builder bulk = new BulkRequest.Builder();
                for (long n = from; n < Math.min(count, from + BULK_SIZE); n++) {
                    BenchRecord r = records.apply(n);
                    bulk.operations(o -> o.index(i -> i.index(index).id(r.id().toString()).document(r.document())));
                }
                bulks.send(bulk.build());
            }
            bulks.awaitAll();
        }
        return count / seconds(start);
    }

    /**
     * Asynchronous inserts, at most {@value #CASSANDRA_IN_FLIGHT} in flight: {@link #add} waits for
     * a free slot, so the caller prepares the next insert while the others are on their way.
     */
    static final class Inserts {
        private final CqlSession session;
        private final Semaphore permits = new Semaphore(CASSANDRA_IN_FLIGHT);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Inserts(CqlSession session) {
            this.session = session;
        }

        void add(BoundStatement insert) {
            if (failure.get() != null) {
                throw new IllegalStateException("raw Cassandra write failed", failure.get());
            }
            permits.acquireUninterruptibly();
            write(session, insert.setTimeout(Duration.ofSeconds(30)), 3, failure, permits);
        }

        /** Waits for the inserts in flight; fails when any of them failed. */
        void awaitAll() {
            permits.acquireUninterruptibly(CASSANDRA_IN_FLIGHT);
            permits.release(CASSANDRA_IN_FLIGHT);
            if (failure.get() != null) {
                throw new IllegalStateException("raw Cassandra write failed", failure.get());
            }
        }
    }

    /**
     * One insert; a server-side timeout of an overloaded node (the inserts are idempotent) is
     * retried up to {@code retries} times before it fails the run.
     */
    private static void write(CqlSession session, BoundStatement insert, int retries,
            AtomicReference<Throwable> failure, Semaphore permits) {
        session.executeAsync(insert).whenComplete((rs, e) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (retries > 0 && (cause instanceof com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException
                    || cause instanceof com.datastax.oss.driver.api.core.servererrors.OverloadedException)) {
                write(session, insert, retries - 1, failure, permits);
                return;
            }
            if (e != null) {
                failure.compareAndSet(null, e);
            }
            permits.release();
        });
    }

    /**
     * Bulk requests sent from {@value #BULK_IN_FLIGHT} threads, at most that many in flight:
     * {@link #send} waits for a free one, so the caller builds the next request meanwhile.
     */
    static final class Bulks implements AutoCloseable {
        private final ElasticsearchClient client;
        private final ExecutorService senders = Executors.newFixedThreadPool(BULK_IN_FLIGHT);
        private final Semaphore permits = new Semaphore(BULK_IN_FLIGHT);
        private final List<CompletableFuture<Void>> sent = new ArrayList<>();

        Bulks(ElasticsearchClient client) {
            this.client = client;
        }

        void send(BulkRequest request) {
            permits.acquireUninterruptibly();
            sent.add(CompletableFuture.runAsync(() -> {
                try {
                    BulkResponse response = client.bulk(request);
                    if (response.errors()) {
                        throw new IllegalStateException("raw bulk item failed: " + response.items().stream()
                                .filter(i -> i.error() != null).findFirst().orElseThrow().error().reason());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    permits.release();
                }
            }, senders));
        }

        /** Waits for every request sent; fails when any of them failed. */
        void awaitAll() {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        }

        @Override
        public void close() {
            senders.shutdown();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

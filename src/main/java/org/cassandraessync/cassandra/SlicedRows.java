package org.cassandraessync.cassandra;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;

/**
 * The rows of one query read as several token ranges side by side, each paged by the driver. A
 * query over the timestamp index without a partition key is served one token range after the
 * other by its coordinator, and each row it finds is a read of its own: latency-bound, one core
 * busy. Here every slice has a page request in flight (its next page is asked as soon as its page
 * is taken), so at most {@code slices} pages are held; rows come out in batches of up to the
 * batch size, from whichever slices have answered, in slice order.
 */
final class SlicedRows {

    /** One token range: the page in hand and the request for the next. */
    private static final class Slice {
        CompletionStage<AsyncResultSet> request;
        AsyncResultSet page;
        Iterator<Row> rows;
    }

    private final Deque<Slice> open = new ArrayDeque<>();

    /**
     * Starts reading: one request per slice of the ring.
     *
     * @param query the statement for the token range (from, to]
     */
    SlicedRows(CqlSession session, int slices, BiFunction<Long, Long, Statement<?>> query) {
        for (long[] bounds : ring(slices)) {
            Slice s = new Slice();
            s.request = session.executeAsync(query.apply(bounds[0], bounds[1]));
            open.add(s);
        }
    }

    /** Up to {@code max} rows, waiting for pages as needed; empty once every slice is read. */
    List<Row> next(int max) {
        List<Row> rows = new ArrayList<>(Math.min(max, 1024));
        while (rows.size() < max && !open.isEmpty()) {
            Slice s = open.peekFirst();
            if (s.rows == null) {
                s.page = join(s.request);
                s.rows = s.page.currentPage().iterator();
            }
            while (rows.size() < max && s.rows.hasNext()) {
                rows.add(s.rows.next());
            }
            if (!s.rows.hasNext()) {
                open.pollFirst();
                if (s.page.hasMorePages()) {
                    s.request = s.page.fetchNextPage();
                    s.rows = null;
                    open.addLast(s);
                }
            }
        }
        return rows;
    }

    /**
     * The Murmur3 ring (Long.MIN_VALUE, Long.MAX_VALUE] cut into {@code slices} token ranges
     * (from, to] of about equal size; together they hold every token once.
     */
    static List<long[]> ring(int slices) {
        long step = Long.divideUnsigned(-1L, slices);
        List<long[]> ranges = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            long from = Long.MIN_VALUE + i * step;
            long to = i == slices - 1 ? Long.MAX_VALUE : Long.MIN_VALUE + (i + 1) * step;
            ranges.add(new long[] {from, to});
        }
        return ranges;
    }

    private static AsyncResultSet join(CompletionStage<AsyncResultSet> request) {
        try {
            return request.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}

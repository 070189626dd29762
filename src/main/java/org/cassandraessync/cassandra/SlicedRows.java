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

    /** One token range: its place, its end, the page in hand and the request for the next. */
    private static final class Slice {
        final int index;
        final long to;
        CompletionStage<AsyncResultSet> request;
        AsyncResultSet page;
        Iterator<Row> rows;

        Slice(int index, long to) {
            this.index = index;
            this.to = to;
        }
    }

    private final Deque<Slice> open = new ArrayDeque<>();
    /** Per slice, the token of the last row handed out (its start before the first; its end once read). */
    private final long[] last;

    /**
     * Starts reading: one request per slice of the ring.
     *
     * @param query the statement for the token range (from, to]
     */
    SlicedRows(CqlSession session, int slices, BiFunction<Long, Long, Statement<?>> query) {
        this(session, ring(slices), query);
    }

    /**
     * Starts reading the token ranges {@code bounds} (from, to], one request each; a range whose
     * start is not before its end (read already) is not asked. Rows must carry their token
     * ({@link CassandraTable#TOKEN}) for {@link #positions()} to follow them.
     */
    SlicedRows(CqlSession session, List<long[]> bounds, BiFunction<Long, Long, Statement<?>> query) {
        last = new long[bounds.size()];
        for (int i = 0; i < bounds.size(); i++) {
            long from = bounds.get(i)[0];
            long to = bounds.get(i)[1];
            last[i] = Math.min(from, to);
            if (from < to) {
                Slice s = new Slice(i, to);
                s.request = session.executeAsync(query.apply(from, to));
                open.add(s);
            } else {
                last[i] = to;
            }
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
                Row row = s.rows.next();
                if (row.getColumnDefinitions().contains(CassandraTable.TOKEN)) {
                    last[s.index] = row.getLong(CassandraTable.TOKEN);
                }
                rows.add(row);
            }
            if (!s.rows.hasNext()) {
                open.pollFirst();
                if (s.page.hasMorePages()) {
                    s.request = s.page.fetchNextPage();
                    s.rows = null;
                    open.addLast(s);
                } else {
                    last[s.index] = s.to;
                }
            }
        }
        return rows;
    }

    /**
     * Per token range, the token of the last row handed out so far (every row at or before it in
     * that range has been), the range's end once it is read: a reading that starts each range
     * after its token goes on from here.
     */
    long[] positions() {
        return last.clone();
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

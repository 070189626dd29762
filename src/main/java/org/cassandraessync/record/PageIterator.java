package org.cassandraessync.record;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Pages of a store's result, with read-ahead: while the caller processes one page, the next is
 * already being fetched on another thread, so reading the source overlaps deciding and writing.
 * A fetch starts as soon as a page is handed over or found waiting: Camel's splitter asks
 * {@link #hasNext} right after {@link #next}, before it processes the page (to mark the last one),
 * and a read-ahead started only by {@code next} was then always waited for before the page was
 * processed. At most three pages are held: the one being processed, the one waiting for its turn
 * and the one being fetched. Pages that come back empty (every record in them rejected or
 * filtered) are skipped. {@link #fetchNext} is never called concurrently with itself. The
 * read-ahead runs on the executor given by the owner (the pair's pool from Camel's
 * {@code ExecutorServiceManager}).
 *
 * <p>A reader that knows where each page ends in its order says so while it fetches it
 * ({@link #endsAt}); the iterator's {@link #position()} is then that of the last page handed out,
 * not of one fetched ahead.
 */
public abstract class PageIterator<T> implements Iterator<List<T>>, Positioned {

    /** A page as fetched, and where it ends (null when the reader does not say). */
    private record Fetched<T>(List<T> page, String endsAt) {
    }

    private final Executor readAhead;
    private List<T> next;
    private String nextEndsAt;
    private String position;
    /** Set by {@link #endsAt} during a fetch, read by the same thread right after it. */
    private String fetchedEndsAt;
    private CompletableFuture<Fetched<T>> ahead;
    private boolean done;

    protected PageIterator(Executor readAhead) {
        this.readAhead = readAhead;
    }

    /** The next page (possibly empty), or null when there are no more. */
    protected abstract List<T> fetchNext();

    /** Called by {@link #fetchNext}: the page it is fetching ends at {@code position} of the reading order. */
    protected final void endsAt(String position) {
        fetchedEndsAt = position;
    }

    @Override
    public String position() {
        return position;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            Fetched<T> fetched = take();
            if (fetched.page() == null) {
                done = true;
            } else {
                if (!fetched.page().isEmpty()) {
                    next = fetched.page();
                    nextEndsAt = fetched.endsAt();
                }
                fetchAhead();
            }
        }
        return next != null;
    }

    @Override
    public List<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<T> page = next;
        next = null;
        if (nextEndsAt != null) {
            position = nextEndsAt;
        }
        fetchAhead();
        return page;
    }

    /** Starts fetching the following page, unless that is under way or the result is exhausted. */
    private void fetchAhead() {
        if (ahead == null && !done) {
            ahead = CompletableFuture.supplyAsync(this::fetch, readAhead);
        }
    }

    private Fetched<T> fetch() {
        fetchedEndsAt = null;
        List<T> page = fetchNext();
        return new Fetched<>(page, fetchedEndsAt);
    }

    private Fetched<T> take() {
        if (ahead == null) {
            return fetch();
        }
        CompletableFuture<Fetched<T>> fetching = ahead;
        ahead = null;
        try {
            return fetching.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}

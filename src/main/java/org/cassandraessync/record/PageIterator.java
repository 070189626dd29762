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
 */
public abstract class PageIterator<T> implements Iterator<List<T>> {

    private final Executor readAhead;
    private List<T> next;
    private CompletableFuture<List<T>> ahead;
    private boolean done;

    protected PageIterator(Executor readAhead) {
        this.readAhead = readAhead;
    }

    /** The next page (possibly empty), or null when there are no more. */
    protected abstract List<T> fetchNext();

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            List<T> page = take();
            if (page == null) {
                done = true;
            } else {
                if (!page.isEmpty()) {
                    next = page;
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
        fetchAhead();
        return page;
    }

    /** Starts fetching the following page, unless that is under way or the result is exhausted. */
    private void fetchAhead() {
        if (ahead == null && !done) {
            ahead = CompletableFuture.supplyAsync(this::fetchNext, readAhead);
        }
    }

    private List<T> take() {
        if (ahead == null) {
            return fetchNext();
        }
        CompletableFuture<List<T>> fetching = ahead;
        ahead = null;
        try {
            return fetching.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}

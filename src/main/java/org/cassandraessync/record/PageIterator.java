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
 * At most two pages are held (the current one and the one being fetched); pages that come back
 * empty (every record in them rejected or filtered) are skipped. {@link #fetchNext} is never
 * called concurrently with itself. The read-ahead runs on the executor given by the owner (the
 * pair's pool from Camel's {@code ExecutorServiceManager}).
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
            } else if (!page.isEmpty()) {
                next = page;
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
        ahead = CompletableFuture.supplyAsync(this::fetchNext, readAhead);
        return page;
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

package org.cassandraessync.record;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Pages fetched one at a time, never two in memory; pages that come back empty (every record in
 * them rejected or filtered) are skipped.
 */
public abstract class PageIterator<T> implements Iterator<List<T>> {

    private List<T> next;
    private boolean done;

    /** The next page (possibly empty), or null when there are no more. */
    protected abstract List<T> fetchNext();

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            List<T> page = fetchNext();
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
        return page;
    }
}

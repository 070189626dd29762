package org.cassandraessync.cycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The writes a cycle started and has not waited for yet: pages are written while the next ones
 * are read. The first write that failed fails the cycle, at the next page or when the cycle waits.
 */
public final class WritesInFlight {

    private final List<CompletableFuture<?>> running = new ArrayList<>();

    /** Adds running writes; throws the failure of an earlier write, if one failed. */
    public void add(CompletableFuture<?> writes) {
        boolean failed;
        synchronized (running) {
            running.removeIf(f -> f.isDone() && !f.isCompletedExceptionally());
            failed = running.stream().anyMatch(CompletableFuture::isCompletedExceptionally);
            running.add(writes);
        }
        if (failed) {
            awaitAll();
        }
    }

    /** Waits for every write in flight; the first that failed is thrown. */
    public void awaitAll() {
        RuntimeException first = null;
        for (CompletableFuture<?> f : takeAll()) {
            try {
                f.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Lets writes that a failed cycle left running end (their own timeouts bound this), ignoring their outcome. */
    public void settle() {
        for (CompletableFuture<?> f : takeAll()) {
            try {
                f.get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                // the failed cycle was already reported; its records are read again
            }
        }
    }

    private List<CompletableFuture<?>> takeAll() {
        synchronized (running) {
            List<CompletableFuture<?>> all = new ArrayList<>(running);
            running.clear();
            return all;
        }
    }
}

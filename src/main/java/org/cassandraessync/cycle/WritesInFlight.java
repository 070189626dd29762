package org.cassandraessync.cycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The writes a cycle started and has not waited for yet: pages are written while the next ones
 * are read. The first write that failed fails the cycle, at the next page or when the cycle waits.
 * Each page's writes are also followed as one ({@link #pageSent}), so that a long cycle knows,
 * without waiting, up to which page of its reading order everything has landed
 * ({@link #landedUpTo}).
 */
public final class WritesInFlight {

    /** A page whose writes were started, and where it ends in its side's reading order. */
    private record SentPage(String endsAt, CompletableFuture<Void> writes) {
    }

    private final List<CompletableFuture<?>> running = new ArrayList<>();
    private final Deque<SentPage> sent = new ArrayDeque<>();
    private List<CompletableFuture<?>> ofNextPage = new ArrayList<>();
    private String landed;

    /** Adds running writes; throws the failure of an earlier write, if one failed. */
    public void add(CompletableFuture<?> writes) {
        boolean failed;
        synchronized (running) {
            running.removeIf(f -> f.isDone() && !f.isCompletedExceptionally());
            failed = running.stream().anyMatch(CompletableFuture::isCompletedExceptionally);
            running.add(writes);
            // (a page's writes that landed already need no following: a repair never says where its pages end)
            ofNextPage.removeIf(f -> f.isDone() && !f.isCompletedExceptionally());
            ofNextPage.add(writes);
        }
        if (failed) {
            awaitAll();
        }
    }

    /** The writes added since the last call are those of a page that ends at {@code endsAt}. */
    public void pageSent(String endsAt) {
        synchronized (running) {
            sent.addLast(new SentPage(endsAt, CompletableFuture.allOf(ofNextPage.toArray(CompletableFuture[]::new))));
            ofNextPage = new ArrayList<>();
        }
    }

    /**
     * Where the last page ends whose writes have landed, and every earlier page's; null while none
     * has. A page whose writes failed stops it there (the failure fails the cycle).
     */
    public String landedUpTo() {
        synchronized (running) {
            while (!sent.isEmpty() && sent.peekFirst().writes().isDone()
                    && !sent.peekFirst().writes().isCompletedExceptionally()) {
                String endsAt = sent.pollFirst().endsAt();
                if (endsAt != null) {
                    landed = endsAt;
                }
            }
            return landed;
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

    /** Forgets the pages followed so far (a side read to its end, a new cycle). */
    public void forgetPages() {
        synchronized (running) {
            sent.clear();
            ofNextPage = new ArrayList<>();
            landed = null;
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

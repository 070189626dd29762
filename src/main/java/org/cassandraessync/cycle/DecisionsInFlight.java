package org.cassandraessync.cycle;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Follows the records between the newest-wins aggregation and the end of the steps after it:
 * groups still waiting for the other store's copy, and decided records still on their way
 * through the route (through any filter, transformation or write step an integrator added). A
 * decided record is through when its exchange completes, whatever happened to it (written,
 * filtered out, failed). The cycle waits for this before it sends a page's writes and before it
 * commits, so no step can be overtaken by the checkpoint.
 */
public final class DecisionsInFlight {

    private int waiting;
    private int travelling;
    private String failure;

    /** The first copy of a record entered the aggregation. */
    synchronized void opened() {
        waiting++;
    }

    /** A record was decided: from now on it travels through the steps after the aggregation. */
    synchronized void released(Exchange decided) {
        waiting = Math.max(0, waiting - 1);
        travelling++;
        decided.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange exchange) {
                arrived(exchange);
            }
        });
    }

    private synchronized void arrived(Exchange exchange) {
        travelling--;
        if (exchange.getException() != null && failure == null) {
            Object record = exchange.getMessage().getBody();
            failure = "a step after the newest-wins aggregation failed for "
                    + (record instanceof org.cassandraessync.record.SyncRecord r ? "record " + r.id() : "a record")
                    + ": " + exchange.getException().getMessage();
        }
        notifyAll();
    }

    /** Groups still waiting for a second copy. */
    public synchronized int waiting() {
        return waiting;
    }

    /**
     * Waits until every decided record is through the steps after the aggregation.
     *
     * @throws IllegalStateException when one of them failed, or when they take longer than {@code timeout}
     */
    public synchronized void awaitArrivals(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (travelling > 0 && failure == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(travelling + " decided records did not get through the steps after"
                        + " the newest-wins aggregation within " + timeout.toSeconds() + " s; a step there is stuck");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        if (failure != null) {
            String message = failure;
            failure = null;
            throw new IllegalStateException(message);
        }
    }

    /** Forgets what a failed cycle left behind (the aggregation's groups are discarded with it). */
    public synchronized void reset() {
        waiting = 0;
        failure = null;
    }
}

package org.cassandraessync.observe;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;

/**
 * A gauge's value that may take long to compute (a health check waiting on a store): reading it
 * answers at once with the last value computed (NaN before the first) and starts a new computation
 * on {@code executor} unless one is running. A scrape never waits for it.
 */
final class LastAnswer {

    private final DoubleSupplier compute;
    private final Executor executor;
    private final AtomicBoolean computing = new AtomicBoolean();
    private volatile double last = Double.NaN;

    LastAnswer(DoubleSupplier compute, Executor executor) {
        this.compute = compute;
        this.executor = executor;
    }

    double read() {
        if (computing.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    try {
                        last = compute.getAsDouble();
                    } finally {
                        computing.set(false);
                    }
                });
            } catch (RuntimeException e) {
                computing.set(false);
            }
        }
        return last;
    }
}

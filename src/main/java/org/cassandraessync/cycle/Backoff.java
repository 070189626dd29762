package org.cassandraessync.cycle;

import java.time.Duration;
import java.time.Instant;

/**
 * After a failed cycle the next ones are skipped for a pause that doubles with each consecutive
 * failure, from one period up to {@link #MAX}; a successful cycle ends it.
 */
public final class Backoff {

    static final Duration MAX = Duration.ofMinutes(1);

    private final Duration period;
    private int consecutiveFailures;
    private Instant notBefore = Instant.MIN;

    public Backoff(Duration period) {
        this.period = period;
    }

    /** False while backing off. */
    public synchronized boolean allows(Instant now) {
        return !now.isBefore(notBefore);
    }

    /** Records a failure at {@code now}; answers the pause before the next attempt. */
    public synchronized Duration failed(Instant now) {
        consecutiveFailures++;
        Duration pause = period.multipliedBy(1L << Math.min(consecutiveFailures - 1, 16));
        if (pause.compareTo(MAX) > 0) {
            pause = MAX;
        }
        notBefore = now.plus(pause);
        return pause;
    }

    public synchronized void succeeded() {
        consecutiveFailures = 0;
        notBefore = Instant.MIN;
    }
}

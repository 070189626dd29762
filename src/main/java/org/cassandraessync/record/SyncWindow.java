package org.cassandraessync.record;

import java.time.Instant;

/**
 * The changes one cycle reads from one store: {@code last_modified > after} (every record when
 * {@code after} is null: first start, or state deleted). {@code until} is the cycle's start; the
 * checkpoint moves there once everything read has been processed.
 */
public record SyncWindow(Instant after, Instant until) {

    public boolean isFull() {
        return after == null;
    }

    /**
     * True for a version stamped after this window: written while the cycle runs, it is the next
     * cycle's, which reads it once (reading it now too made each change under load cost two
     * decisions). A version beyond the clock-skew limit is not deferred: the mapper rejects it now.
     */
    public boolean belongsToNextCycle(long lastModifiedMillis, java.time.Duration maxClockSkew) {
        return !isFull() && lastModifiedMillis > until.toEpochMilli()
                && lastModifiedMillis <= until.plus(maxClockSkew).toEpochMilli();
    }
}

package org.cassandraessync.cycle;

import org.cassandraessync.record.Side;

/**
 * Told of what a pair's cycles do, as it happens, for figures that cannot be read afterwards from
 * the counters: the lag of each record written and the duration of each cycle (the metrics), the
 * signs of progress, successes and failures (the pair's health).
 * Called from the cycle's and the writers' threads; implementations must be quick and thread-safe.
 */
public interface CycleObserver {

    /**
     * A record landed in {@code target}.
     *
     * @param lagMillis now − the record's {@code last_modified}: how long the change took to arrive
     */
    default void written(Side target, long lagMillis) {
    }

    /** A cycle ended, successfully or not ({@link CycleSummary#failed()}). */
    default void ended(CycleSummary summary) {
    }

    /** A sign of life: a page of changes was read. */
    default void progressed() {
    }

    /** A cycle committed its checkpoints. */
    default void succeeded() {
    }

    /**
     * A cycle failed.
     *
     * @param reason the line it logged
     * @param needsOperator true when retrying does not cure it (a refused password, certificate or permission)
     */
    default void failed(String reason, boolean needsOperator) {
    }
}

package org.cassandraessync.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.cassandraessync.cycle.CycleObserver;

/**
 * What a pair's cycles say about its health, as the readiness check, the metrics and the
 * commands read it: when the pair was set up, its last success, its last sign of progress and
 * why its last cycle failed. Told by the cycle ({@link CycleObserver}); holds nothing the cycle
 * itself needs.
 */
public final class PairHealth implements CycleObserver {

    private final Clock clock;
    private final Instant createdAt;
    /** The end of the last successful cycle, or null. */
    private volatile Instant lastSuccess;
    /** The last sign of life: a page read or a cycle committed. */
    private volatile Instant lastProgress;
    private volatile String lastFailure;
    private volatile boolean lastFailureNeedsOperator;

    public PairHealth(Clock clock) {
        this.clock = clock;
        this.createdAt = clock.instant();
    }

    @Override
    public void progressed() {
        lastProgress = clock.instant();
    }

    @Override
    public void succeeded() {
        lastSuccess = clock.instant();
        lastProgress = lastSuccess;
        lastFailure = null;
    }

    @Override
    public void failed(String reason, boolean needsOperator) {
        lastFailure = reason;
        lastFailureNeedsOperator = needsOperator;
    }

    /** When this pair's cycles were set up (the reference for staleness before any cycle succeeded). */
    public Instant createdAt() {
        return createdAt;
    }

    /** The end of the last successful cycle; empty before the first. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** The last sign of progress: a page read or a cycle committed; empty before the first. */
    public Optional<Instant> lastProgress() {
        return Optional.ofNullable(lastProgress);
    }

    /**
     * True when the last cycle failed for a reason that retrying does not cure (credentials,
     * certificates, permissions: it came with an explanation of what to fix).
     */
    public boolean lastFailureNeedsOperator() {
        return lastFailure != null && lastFailureNeedsOperator;
    }

    /** Why the last cycle failed; empty when it succeeded (or none ran yet). */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }
}

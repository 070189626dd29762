package org.cassandraessync.record;

import java.time.Instant;
import java.util.List;

/**
 * The changes one cycle reads from one store: {@code last_modified > after} (every record when
 * {@code after} is null: first start, or state deleted), except the versions in {@code skipped}.
 * {@code until} is the cycle's start; the checkpoint moves there once everything read has been
 * processed.
 *
 * <p>{@code skipped} is what the cycle before read fresh and what is not yet old enough to be read
 * again: each version is read twice in all, once fresh (the cycle after it was written) and once
 * more when it is {@code sync.overlap} old (to catch what became visible late or came from a
 * writer whose clock is behind), instead of again by every cycle of the overlap.
 */
public record SyncWindow(Instant after, Instant until, Range skipped) {

    /**
     * A slice of the timeline that one query reads: {@code last_modified > after}, and
     * {@code <= upTo} unless that is null (open-ended: the fresh changes).
     */
    public record Range(Instant after, Instant upTo) {

        public boolean isOpenEnded() {
            return upTo == null;
        }

        public boolean contains(Instant t) {
            return (after == null || t.isAfter(after)) && (upTo == null || !t.isAfter(upTo));
        }
    }

    public SyncWindow(Instant after, Instant until) {
        this(after, until, null);
    }

    public boolean isFull() {
        return after == null;
    }

    /**
     * The slices to read, oldest first: the re-read ({@code after}, start of the skipped range] when
     * there is one, then the open-ended rest. A skipped range may be empty (it starts where it ends):
     * it then only marks where the re-read ends and the fresh changes begin.
     */
    public List<Range> ranges() {
        if (skipped == null) {
            return List.of(new Range(after, null));
        }
        Range fresh = new Range(skipped.upTo(), null);
        return skipped.after().isAfter(after) ? List.of(new Range(after, skipped.after()), fresh) : List.of(fresh);
    }

    /** True when a version stamped {@code t} is read by this window (whatever the cycle defers). */
    public boolean covers(Instant t) {
        return ranges().stream().anyMatch(r -> r.contains(t));
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

package org.cassandraessync.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.state.CyclePosition;

/**
 * The windows one cycle reads, from the checkpoints, and the checkpoints it may commit: a side's
 * watermark moves to the cycle's start, except before a version whose write was refused
 * (a conflict), which the next cycle must read again (the hold-back).
 */
public final class CycleWindows {

    private final Duration overlap;
    private final Map<Side, SyncWindow> windows = new EnumMap<>(Side.class);
    private final Map<Side, Instant> holdBack = new EnumMap<>(Side.class);
    private final Set<Side> emptyAtStart = EnumSet.noneOf(Side.class);

    public CycleWindows(Duration overlap) {
        this.overlap = overlap;
    }

    /**
     * Opens the windows of a cycle starting at {@code now}. A side with a checkpoint is read from
     * the checkpoint minus the overlap, except what is younger than the overlap and was read before
     * (see {@link SyncWindow}); without one it is read in full, except when it is {@code empty} as
     * the cycle begins: then only what arrives from now on (minus the overlap).
     */
    public synchronized void open(Instant now, Map<Side, Instant> checkpoints, Predicate<Side> empty) {
        holdBack.clear();
        emptyAtStart.clear();
        for (Side side : Side.values()) {
            Instant mark = checkpoints.get(side);
            boolean isEmpty = mark == null && empty.test(side);
            if (isEmpty) {
                emptyAtStart.add(side);
            }
            Instant after = mark != null ? mark.minus(overlap) : isEmpty ? now.minus(overlap) : null;
            windows.put(side, new SyncWindow(after, now, mark == null ? null : notYetDue(mark, now)));
        }
    }

    /**
     * What the previous cycles read fresh (up to the checkpoint) and that is younger than the
     * overlap at this cycle's start: it is read again by a later cycle, when it is that old. Empty
     * (from the checkpoint to the checkpoint) when the checkpoint is older than that (a long cycle, a
     * pause): the window is then read whole, but still in two ranges, so that the re-read before the
     * checkpoint (the overlap, and the daemon's own writes of the cycle before) is read by version,
     * not with content; under load that re-read is as large as the fresh changes.
     */
    private SyncWindow.Range notYetDue(Instant mark, Instant now) {
        Instant dueUpTo = now.minus(overlap);
        return new SyncWindow.Range(dueUpTo.isBefore(mark) ? dueUpTo : mark, mark);
    }

    /**
     * Opens the windows of a cycle that goes on from where an earlier one stood: its windows, and
     * the versions it held back.
     */
    public synchronized void resume(CyclePosition position) {
        holdBack.clear();
        emptyAtStart.clear();
        windows.putAll(position.windows());
        holdBack.putAll(position.heldBack());
    }

    public synchronized SyncWindow window(Side side) {
        return windows.get(side);
    }

    /** Where the cycle stands for a commit of its position: its windows, the versions held back so far. */
    public synchronized CyclePosition position(Map<Side, String> positions, Set<Side> done) {
        return new CyclePosition(windows, positions, done, holdBack);
    }

    /**
     * True when {@code side} held no record as this cycle began: whatever it holds now was
     * written during the cycle, so a page needs no look-up there.
     */
    public synchronized boolean wasEmptyAtStart(Side side) {
        return emptyAtStart.contains(side);
    }

    /** A version of {@code source} at {@code at} was not written: the source's checkpoint stays before it. */
    public synchronized void holdBack(Side source, Instant at) {
        holdBack.merge(source, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    /** The watermarks to commit once everything read has been processed. */
    public synchronized Map<Side, Instant> watermarks() {
        Map<Side, Instant> marks = new EnumMap<>(Side.class);
        windows.forEach((side, window) -> {
            Instant held = holdBack.get(side);
            marks.put(side, held != null && held.isBefore(window.until().plusMillis(1))
                    ? held.minusMillis(1) : window.until());
        });
        return marks;
    }
}

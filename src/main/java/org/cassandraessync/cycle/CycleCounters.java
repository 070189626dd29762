package org.cassandraessync.cycle;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.cassandraessync.record.Side;

/** The counters of the running cycle and of every cycle since start, and their summaries. */
public final class CycleCounters {

    private static final class Counts {
        /** Records read from each side (every version seen, including those already in sync). */
        final Map<Side, AtomicLong> read = perSide();
        /** Records written to each side. */
        final Map<Side, AtomicLong> written = perSide();
        /** Records whose content the readers fetched, per side (the others were known by their metadata). */
        final Map<Side, AtomicLong> fetched = perSide();
        /** Counterparts requested by id in each side, for the other side's changes. */
        final Map<Side, AtomicLong> lookedUp = perSide();
        final AtomicLong unchanged = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();

        private static Map<Side, AtomicLong> perSide() {
            Map<Side, AtomicLong> counts = new EnumMap<>(Side.class);
            for (Side side : Side.values()) {
                counts.put(side, new AtomicLong());
            }
            return counts;
        }

        void reset() {
            for (Map<Side, AtomicLong> perSide : List.of(read, written, fetched, lookedUp)) {
                perSide.values().forEach(c -> c.set(0));
            }
            for (AtomicLong c : List.of(unchanged, conflicts, rejected)) {
                c.set(0);
            }
        }

        CycleSummary summary(long cycle, long millis, boolean failed) {
            return new CycleSummary(cycle, snapshot(read), snapshot(written), unchanged.get(), conflicts.get(),
                    rejected.get(), millis, failed);
        }

        private static Map<Side, Long> snapshot(Map<Side, AtomicLong> counts) {
            Map<Side, Long> values = new EnumMap<>(Side.class);
            counts.forEach((side, c) -> values.put(side, c.get()));
            return values;
        }
    }

    private final Counts current = new Counts();
    private final Counts total = new Counts();
    private final AtomicLong cycles = new AtomicLong();
    private volatile long startNanos;

    /** A new cycle: its counters start at zero. */
    public void started() {
        cycles.incrementAndGet();
        current.reset();
        startNanos = System.nanoTime();
    }

    /** One record read from {@code side}; {@code unchanged} when it is a version already in sync. */
    public void read(Side side, boolean unchanged) {
        current.read.get(side).incrementAndGet();
        total.read.get(side).incrementAndGet();
        if (unchanged) {
            unchanged();
        }
    }

    /** A record found in the same version on both stores. */
    public void unchanged() {
        current.unchanged.incrementAndGet();
        total.unchanged.incrementAndGet();
    }

    public void written(Side target) {
        current.written.get(target).incrementAndGet();
        total.written.get(target).incrementAndGet();
    }

    /** The content of {@code count} records of {@code side} was fetched by a change reader. */
    public void fetched(Side side, long count) {
        current.fetched.get(side).addAndGet(count);
        total.fetched.get(side).addAndGet(count);
    }

    /** {@code count} counterparts were requested by id in {@code side}. */
    public void lookedUp(Side side, long count) {
        current.lookedUp.get(side).addAndGet(count);
        total.lookedUp.get(side).addAndGet(count);
    }

    /** Records of {@code side} fetched with their content in the running cycle. */
    public long fetchedInCycle(Side side) {
        return current.fetched.get(side).get();
    }

    /** Records of {@code side} fetched with their content by every cycle since start. */
    public long fetchedInTotal(Side side) {
        return total.fetched.get(side).get();
    }

    /** Counterparts requested in {@code side} in the running cycle. */
    public long lookedUpInCycle(Side side) {
        return current.lookedUp.get(side).get();
    }

    public void conflict() {
        current.conflicts.incrementAndGet();
        total.conflicts.incrementAndGet();
    }

    public void rejected(long count) {
        current.rejected.set(count);
        total.rejected.addAndGet(count);
    }

    /** Records read from {@code side} in the running cycle. */
    public long readInCycle(Side side) {
        return current.read.get(side).get();
    }

    /** The running cycle's number (1 for the first since start). */
    public long cycleNumber() {
        return cycles.get();
    }

    /** Milliseconds since the cycle started. */
    public long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public CycleSummary cycle(boolean failed) {
        return current.summary(cycles.get(), millis(), failed);
    }

    public CycleSummary totals() {
        return total.summary(cycles.get(), millis(), false);
    }
}

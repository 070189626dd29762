package org.cassandraessync.cycle;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.cassandraessync.record.Side;

/** The counters of the running cycle and of every cycle since start, and their summaries. */
public final class CycleCounters {

    private static final class Counts {
        final AtomicLong readCassandra = new AtomicLong();
        final AtomicLong readElasticsearch = new AtomicLong();
        final AtomicLong writtenCassandra = new AtomicLong();
        final AtomicLong writtenElasticsearch = new AtomicLong();
        final AtomicLong unchanged = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        /** Records whose content the readers fetched, per side (the others were known by their metadata). */
        final AtomicLong fetchedCassandra = new AtomicLong();
        final AtomicLong fetchedElasticsearch = new AtomicLong();
        /** Counterparts requested by id in each side, for the other side's changes. */
        final AtomicLong lookedUpCassandra = new AtomicLong();
        final AtomicLong lookedUpElasticsearch = new AtomicLong();

        void reset() {
            for (AtomicLong c : List.of(readCassandra, readElasticsearch, writtenCassandra, writtenElasticsearch,
                    unchanged, conflicts, rejected, fetchedCassandra, fetchedElasticsearch, lookedUpCassandra,
                    lookedUpElasticsearch)) {
                c.set(0);
            }
        }

        AtomicLong read(Side side) {
            return side == Side.CASSANDRA ? readCassandra : readElasticsearch;
        }

        AtomicLong fetched(Side side) {
            return side == Side.CASSANDRA ? fetchedCassandra : fetchedElasticsearch;
        }

        AtomicLong lookedUp(Side side) {
            return side == Side.CASSANDRA ? lookedUpCassandra : lookedUpElasticsearch;
        }

        AtomicLong written(Side side) {
            return side == Side.CASSANDRA ? writtenCassandra : writtenElasticsearch;
        }

        CycleSummary summary(long cycle, long millis, boolean failed) {
            return new CycleSummary(cycle, readCassandra.get(), writtenElasticsearch.get(), readElasticsearch.get(),
                    writtenCassandra.get(), unchanged.get(), conflicts.get(), rejected.get(), millis, failed);
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
        current.read(side).incrementAndGet();
        total.read(side).incrementAndGet();
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
        current.written(target).incrementAndGet();
        total.written(target).incrementAndGet();
    }

    /** The content of {@code count} records of {@code side} was fetched by a change reader. */
    public void fetched(Side side, long count) {
        current.fetched(side).addAndGet(count);
        total.fetched(side).addAndGet(count);
    }

    /** {@code count} counterparts were requested by id in {@code side}. */
    public void lookedUp(Side side, long count) {
        current.lookedUp(side).addAndGet(count);
        total.lookedUp(side).addAndGet(count);
    }

    /** Records of {@code side} fetched with their content in the running cycle. */
    public long fetchedInCycle(Side side) {
        return current.fetched(side).get();
    }

    /** Records of {@code side} fetched with their content by every cycle since start. */
    public long fetchedInTotal(Side side) {
        return total.fetched(side).get();
    }

    /** Counterparts requested in {@code side} in the running cycle. */
    public long lookedUpInCycle(Side side) {
        return current.lookedUp(side).get();
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
        return current.read(side).get();
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

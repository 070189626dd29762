package org.cassandraessync.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.state.CheckpointStore;
import org.cassandraessync.state.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Book-keeping of the running cycle: the window of changes each side is read in (from the
 * checkpoints), the winners waiting to be written, the counters and the one summary line, the
 * checkpoint commit at the end, and the back-off after failed cycles. Cycles never overlap (the
 * Quartz trigger is stateful), so one instance serves every cycle of a table/index pair.
 */
public class SyncCycle {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCycle.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration DECISION_TIMEOUT = Duration.ofMinutes(1);

    private final CheckpointStore checkpoints;
    private final DeadLetters deadLetters;
    private final Duration overlap;
    private final Duration period;
    private final Clock clock;
    /** Per store; about 150 bytes each, so at most ~30 MB of heap. */
    static final int SYNCED_VERSIONS_REMEMBERED = 100_000;
    private final SyncedVersions synced = new SyncedVersions(SYNCED_VERSIONS_REMEMBERED);

    private final AtomicLong cycles = new AtomicLong();
    private final ConcurrentLinkedQueue<PendingWrite> toCassandra = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<PendingWrite> toElasticsearch = new ConcurrentLinkedQueue<>();
    private final Counts current = new Counts();
    private final Counts total = new Counts();
    private final Map<Side, SyncWindow> windows = new EnumMap<>(Side.class);
    private final Map<Side, Instant> holdBack = new EnumMap<>(Side.class);
    private final Map<Side, BooleanSupplier> emptiness = new EnumMap<>(Side.class);
    private final java.util.Set<Side> emptyAtStart = java.util.EnumSet.noneOf(Side.class);
    private final AtomicLong decisions = new AtomicLong();
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private long expectedDecisions;
    private volatile long startNanos;
    /** When the Elasticsearch side started being read: the Cassandra side (and its writes) took until then. */
    private volatile long elasticsearchStartNanos;
    private volatile long rejectedAtStart;
    private volatile CycleSummary last;
    private volatile int consecutiveFailures;
    private volatile Instant notBefore = Instant.MIN;

    public SyncCycle(CheckpointStore checkpoints, DeadLetters deadLetters, Duration overlap, Duration period,
            Clock clock) {
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.overlap = overlap;
        this.period = period;
        this.clock = clock;
    }

    /** Counters of one cycle (or, in {@link #totals()}, since start). */
    static final class Counts {
        final AtomicLong readCassandra = new AtomicLong();
        final AtomicLong readElasticsearch = new AtomicLong();
        final AtomicLong writtenCassandra = new AtomicLong();
        final AtomicLong writtenElasticsearch = new AtomicLong();
        final AtomicLong unchanged = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();

        void reset() {
            for (AtomicLong c : List.of(readCassandra, readElasticsearch, writtenCassandra, writtenElasticsearch,
                    unchanged, conflicts, rejected)) {
                c.set(0);
            }
        }
    }

    /**
     * What one cycle did. {@code unchanged} counts records read that both stores already held in the
     * same version (nothing written: this is where echoes would show); {@code conflicts} counts
     * writes refused because the target changed after it was read (retried next cycle).
     */
    public record CycleSummary(long cycle, long readCassandra, long writtenElasticsearch, long readElasticsearch,
            long writtenCassandra, long unchanged, long conflicts, long rejected, long millis, boolean failed) {
    }

    /** Starts a cycle, or answers false while backing off after failures. */
    public boolean begin() {
        Instant now = clock.instant();
        if (now.isBefore(notBefore)) {
            return false;
        }
        settleStragglers();
        cycles.incrementAndGet();
        toCassandra.clear();
        toElasticsearch.clear();
        current.reset();
        holdBack.clear();
        rejectedAtStart = deadLetters.count();
        startNanos = System.nanoTime();
        elasticsearchStartNanos = 0;
        Map<Side, Instant> marks = checkpoints.load();
        emptyAtStart.clear();
        for (Side side : Side.values()) {
            Instant mark = marks.get(side);
            boolean empty = mark == null && isEmpty(side);
            if (empty) {
                emptyAtStart.add(side);
            }
            Instant after = mark != null ? mark.minus(overlap) : empty ? now.minus(overlap) : null;
            windows.put(side, new SyncWindow(after, now));
        }
        return true;
    }

    /**
     * How to tell that a store holds no record at all. Without a checkpoint a side is read in full,
     * except when it is empty as the cycle begins: then only what arrives from now on (minus the
     * overlap) is read, and the copies this first cycle writes into it are not read back.
     */
    public void emptyWhen(Side side, BooleanSupplier empty) {
        emptiness.put(side, empty);
    }

    /**
     * True when {@code side} held no record as this cycle began (its first cycle): whatever it holds
     * now was written during the cycle, so a page needs no look-up there; the writes are
     * conditional (create / IF NOT EXISTS / write time) against anything written meanwhile.
     */
    public boolean wasEmptyAtStart(Side side) {
        return emptyAtStart.contains(side);
    }

    private boolean isEmpty(Side side) {
        try {
            return emptiness.getOrDefault(side, () -> false).getAsBoolean();
        } catch (RuntimeException e) {
            return false; // unknown: read in full
        }
    }

    public SyncWindow window(Side side) {
        if (side == Side.ELASTICSEARCH && elasticsearchStartNanos == 0) {
            elasticsearchStartNanos = System.nanoTime();
        }
        return windows.get(side);
    }

    /**
     * Counts a page of changes read from one side and passes it on; the page's ids are the
     * decisions {@link #awaitDecisions} then waits for.
     */
    public List<SyncRecord> pageRead(List<SyncRecord> page) {
        List<SyncRecord> toDecide = new ArrayList<>(page.size());
        for (SyncRecord r : page) {
            boolean known = synced.alreadySynced(r);
            countRead(r.side(), known);
            if (!known) {
                toDecide.add(r);
            }
        }
        synchronized (decisions) {
            expectedDecisions = toDecide.stream().map(SyncRecord::id).distinct().count();
            decisions.set(0);
        }
        return toDecide;
    }

    /**
     * True when this copy (known by its metadata only) is one already in sync on both stores: the
     * reader then does not even fetch its content. Counted as read and unchanged.
     */
    public boolean alreadySynced(Side side, java.util.UUID id, long lastModifiedMillis, SyncRecord.Stamp stamp) {
        if (!synced.alreadySynced(side, id, lastModifiedMillis, stamp)) {
            return false;
        }
        countRead(side, true);
        return true;
    }

    /** One record read from {@code side}; {@code unchanged} when it is a version already in sync. */
    private void countRead(Side side, boolean unchanged) {
        counter(current, side, true).incrementAndGet();
        counter(total, side, true).incrementAndGet();
        if (unchanged) {
            current.unchanged.incrementAndGet();
            total.unchanged.incrementAndGet();
        }
    }

    /** Queues the winning version for the side that lacks it, with the copy it replaces there. */
    public void planWrite(@Body SyncRecord winner, @ExchangeProperty("syncReplacing") SyncRecord replacing) {
        (winner.side() == Side.CASSANDRA ? toElasticsearch : toCassandra).add(new PendingWrite(winner, replacing));
        decided();
    }

    /** Both stores already hold the same version: nothing to write. */
    public void unchanged(@Body SyncRecord copy, @ExchangeProperty("syncReplacing") SyncRecord otherCopy) {
        synced.remember(copy);
        if (otherCopy != null) {
            synced.remember(otherCopy);
        }
        current.unchanged.incrementAndGet();
        total.unchanged.incrementAndGet();
        decided();
    }

    private void decided() {
        synchronized (decisions) {
            decisions.incrementAndGet();
            decisions.notifyAll();
        }
    }

    /**
     * Waits until the aggregator (which hands completed groups to its own thread) has decided every
     * record of the current page, so that the writes that follow see all of them.
     */
    public void awaitDecisions() throws InterruptedException {
        long deadline = System.nanoTime() + DECISION_TIMEOUT.toNanos();
        synchronized (decisions) {
            while (decisions.get() < expectedDecisions) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the newest-wins aggregation decided " + decisions.get() + " of "
                            + expectedDecisions + " records of a page within " + DECISION_TIMEOUT.toSeconds() + " s");
                }
                decisions.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The queued writes for one target side, handed over once. */
    public List<PendingWrite> drainWritesTo(String target) {
        ConcurrentLinkedQueue<PendingWrite> queue = "cassandra".equals(target) ? toCassandra : toElasticsearch;
        List<PendingWrite> out = new ArrayList<>(queue.size());
        for (PendingWrite w = queue.poll(); w != null; w = queue.poll()) {
            out.add(w);
        }
        return out;
    }

    /**
     * The write landed; {@code stamp} is the one the target store gave the new copy (null when
     * unknown), so that reading that copy back needs no decision.
     */
    public void written(PendingWrite write, SyncRecord.Stamp stamp) {
        SyncRecord record = write.record();
        synced.remember(record);
        synced.remember(write.target(), record.id(), record.lastModified(), stamp);
        counter(current, write.target(), false).incrementAndGet();
        counter(total, write.target(), false).incrementAndGet();
    }

    /**
     * The target changed after it was read: the write was refused. The source's checkpoint stays
     * before this version so the next cycle reads it again and decides against the new target.
     */
    public synchronized void conflict(PendingWrite write) {
        synced.forget(write.record().id());
        current.conflicts.incrementAndGet();
        total.conflicts.incrementAndGet();
        Side source = write.record().side();
        Instant at = write.record().lastModified();
        holdBack.merge(source, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    /**
     * A page's writes, still running: the cycle goes on reading the next page meanwhile. A write
     * that already failed fails the cycle here, at the next page.
     */
    public void inFlight(CompletableFuture<?> writes) {
        boolean failed;
        synchronized (inFlight) {
            inFlight.removeIf(f -> f.isDone() && !f.isCompletedExceptionally());
            failed = !inFlight.isEmpty() && inFlight.stream().anyMatch(CompletableFuture::isCompletedExceptionally);
            inFlight.add(writes);
        }
        if (failed) {
            awaitWrites();
        }
    }

    /** Waits for every write in flight; the first that failed fails the cycle. */
    public void awaitWrites() {
        List<CompletableFuture<?>> writes;
        synchronized (inFlight) {
            writes = new ArrayList<>(inFlight);
            inFlight.clear();
        }
        RuntimeException first = null;
        for (CompletableFuture<?> f : writes) {
            try {
                f.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Writes a failed cycle left running end (their own timeouts bound this) before the next cycle. */
    private void settleStragglers() {
        List<CompletableFuture<?>> writes;
        synchronized (inFlight) {
            writes = new ArrayList<>(inFlight);
            inFlight.clear();
        }
        for (CompletableFuture<?> f : writes) {
            try {
                f.get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                // the failed cycle was already reported; its records are read again
            }
        }
    }

    /** Waits for the writes still in flight, then commits the checkpoints and logs the summary line. */
    public void finish() {
        awaitWrites();
        commit();
    }

    private synchronized void commit() {
        Map<Side, Instant> marks = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            Instant until = windows.get(side).until();
            Instant held = holdBack.get(side);
            marks.put(side, held != null && held.isBefore(until.plusMillis(1)) ? held.minusMillis(1) : until);
        }
        checkpoints.save(marks);
        consecutiveFailures = 0;
        notBefore = Instant.MIN;
        long rejected = deadLetters.count() - rejectedAtStart;
        current.rejected.set(rejected);
        total.rejected.addAndGet(rejected);
        last = summary(current, false);
        long cassandraSide = elasticsearchStartNanos == 0 ? last.millis()
                : (elasticsearchStartNanos - startNanos) / 1_000_000;
        LOG.info("Cycle {}: cassandra→elasticsearch read {} written {} | elasticsearch→cassandra read {} written {}"
                + " | unchanged {} | conflicts {} | rejected {} | {} ms (Cassandra side {} ms, Elasticsearch side {} ms)",
                last.cycle(), last.readCassandra(), last.writtenElasticsearch(), last.readElasticsearch(),
                last.writtenCassandra(), last.unchanged(), last.conflicts(), last.rejected(), last.millis(),
                cassandraSide, last.millis() - cassandraSide);
    }

    /**
     * One line per failed cycle; nothing is committed, so the next cycle reads the same changes
     * again. Cycles are skipped for a back-off that doubles with each failure, up to one minute.
     */
    public void failed(Exception cause) {
        last = summary(current, true);
        consecutiveFailures++;
        long factor = 1L << Math.min(consecutiveFailures - 1, 16);
        Duration backoff = period.multipliedBy(factor);
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        notBefore = clock.instant().plus(backoff);
        LOG.warn("Cycle {} failed after {} ms, retrying in {} s: {}", last.cycle(), last.millis(),
                backoff.toMillis() / 1000.0, rootMessage(cause));
    }

    public CycleSummary lastCycle() {
        return last;
    }

    public CycleSummary totals() {
        return summary(total, false);
    }

    private CycleSummary summary(Counts c, boolean failed) {
        return new CycleSummary(cycles.get(), c.readCassandra.get(), c.writtenElasticsearch.get(),
                c.readElasticsearch.get(), c.writtenCassandra.get(), c.unchanged.get(), c.conflicts.get(),
                c.rejected.get(), (System.nanoTime() - startNanos) / 1_000_000, failed);
    }

    private static AtomicLong counter(Counts c, Side side, boolean read) {
        if (side == Side.CASSANDRA) {
            return read ? c.readCassandra : c.writtenCassandra;
        }
        return read ? c.readElasticsearch : c.writtenElasticsearch;
    }

    private static String rootMessage(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getClass().getSimpleName() + ": "
                + t.getMessage() + ")";
    }
}

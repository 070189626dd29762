package org.cassandraessync.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.state.CheckpointStore;
import org.cassandraessync.state.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cycles of one table/index pair, start to end: the windows read (from the checkpoints), the
 * versions already in sync, the writes in flight, the counters and the one summary line, the
 * checkpoint commit, and the back-off after failures. Cycles of a pair never overlap (its Quartz
 * trigger is stateful); each pair has its own instance.
 */
public class SyncCycle implements KnownVersions, WriteOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCycle.class);
    /** Per store; about 150 bytes each, so at most ~30 MB of heap. */
    static final int SYNCED_VERSIONS_REMEMBERED = 100_000;

    private final String pair;
    private final CheckpointStore checkpoints;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final CycleWindows windows;
    private final Backoff backoff;
    private final CycleCounters counters = new CycleCounters();
    private final WritesInFlight writes = new WritesInFlight();
    private final SyncedVersions synced = new SyncedVersions(SYNCED_VERSIONS_REMEMBERED);
    private volatile long rejectedAtStart;
    /** When the Elasticsearch side started being read: the Cassandra side (and its writes) took until then. */
    private volatile long elasticsearchStartMillis;
    private volatile CycleSummary last;

    public SyncCycle(String pair, CheckpointStore checkpoints, DeadLetters deadLetters, Duration overlap,
            Duration period, Clock clock) {
        this.pair = pair;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.windows = new CycleWindows(overlap);
        this.backoff = new Backoff(period);
    }

    /** False while backing off after failed cycles. */
    public boolean due() {
        return backoff.allows(clock.instant());
    }

    /** Starts a cycle: its number, its counters and its clock (connecting to the stores may follow and fail). */
    public void begin() {
        writes.settle();
        counters.started();
        elasticsearchStartMillis = -1;
        rejectedAtStart = deadLetters.count();
    }

    /**
     * Opens the cycle's windows from the checkpoints ({@link CycleWindows#open}; {@code empty}
     * tells whether a store holds no record at all, and may fail: the side is then read in full).
     */
    public void openWindows(Predicate<Side> empty) {
        windows.open(clock.instant(), checkpoints.load(), side -> {
            try {
                return empty.test(side);
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    public SyncWindow window(Side side) {
        if (side == Side.ELASTICSEARCH && elasticsearchStartMillis < 0) {
            elasticsearchStartMillis = counters.millis();
        }
        return windows.window(side);
    }

    public boolean wasEmptyAtStart(Side side) {
        return windows.wasEmptyAtStart(side);
    }

    /** Counts a page of changes read from one side; answers the records still to be decided. */
    public List<SyncRecord> pageRead(List<SyncRecord> page) {
        List<SyncRecord> toDecide = new ArrayList<>(page.size());
        for (SyncRecord r : page) {
            boolean known = synced.alreadySynced(r);
            counters.read(r.side(), known);
            if (!known) {
                toDecide.add(r);
            }
        }
        return toDecide;
    }

    /** A copy known by its metadata only that is already in sync: counted as read and unchanged. */
    @Override
    public boolean alreadySynced(Side side, UUID id, long lastModifiedMillis, SyncRecord.Stamp stamp) {
        if (!synced.alreadySynced(side, id, lastModifiedMillis, stamp)) {
            return false;
        }
        counters.read(side, true);
        return true;
    }

    /** Both stores already hold the same version: nothing to write. */
    public void unchanged(SyncRecord copy, SyncRecord otherCopy) {
        synced.remember(copy);
        if (otherCopy != null) {
            synced.remember(otherCopy);
        }
        counters.unchanged();
    }

    @Override
    public void written(PendingWrite write, SyncRecord.Stamp stamp) {
        SyncRecord record = write.record();
        synced.remember(record);
        synced.remember(write.target(), record.id(), record.lastModified(), stamp);
        counters.written(write.target());
    }

    /** The source's checkpoint stays before this version so the next cycle decides it again. */
    @Override
    public void conflict(PendingWrite write) {
        synced.forget(write.record().id());
        counters.conflict();
        windows.holdBack(write.record().side(), write.record().lastModified());
    }

    @Override
    public void inFlight(java.util.concurrent.CompletableFuture<?> running) {
        writes.add(running);
    }

    /** Waits for every write in flight; the first that failed fails the cycle. */
    public void awaitWrites() {
        writes.awaitAll();
    }

    /** Waits for the writes still in flight, then commits both checkpoints and logs the summary line. */
    public void commit() {
        writes.awaitAll();
        checkpoints.save(windows.watermarks());
        backoff.succeeded();
        counters.rejected(deadLetters.count() - rejectedAtStart);
        last = counters.cycle(false);
        long cassandraSide = elasticsearchStartMillis < 0 ? last.millis() : elasticsearchStartMillis;
        LOG.info("{} cycle {}: cassandra→elasticsearch read {} written {} | elasticsearch→cassandra read {} written {}"
                + " | unchanged {} | conflicts {} | rejected {} | {} ms (Cassandra side {} ms, Elasticsearch side {} ms)",
                pair, last.cycle(), last.readCassandra(), last.writtenElasticsearch(), last.readElasticsearch(),
                last.writtenCassandra(), last.unchanged(), last.conflicts(), last.rejected(), last.millis(),
                cassandraSide, last.millis() - cassandraSide);
    }

    /**
     * One line per failed cycle; nothing is committed, so the next cycle reads the same changes
     * again, after the back-off.
     */
    public void failed(Exception cause) {
        last = counters.cycle(true);
        Duration pause = backoff.failed(clock.instant());
        LOG.warn("{} cycle {} failed after {} ms, retrying in {} s: {}", pair, last.cycle(), last.millis(),
                pause.toMillis() / 1000.0, rootMessage(cause));
    }

    /** The summary of the last finished cycle, or null before the first one. */
    public CycleSummary lastCycle() {
        return last;
    }

    public CycleSummary totals() {
        return counters.totals();
    }

    static String rootMessage(Throwable e) {
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

package org.cassandraessync.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.CyclePosition;
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
    /**
     * A cycle that has written this many pages and run this long commits its position as it goes,
     * at most that often ({@link #pageWritten}); shorter cycles never do.
     */
    static final int POSITION_AFTER_PAGES = 3;
    static final long POSITION_EVERY_MILLIS = 1000;

    private final String pair;
    private final Checkpoints checkpoints;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final CycleWindows windows;
    private final Backoff backoff;
    private final CycleCounters counters = new CycleCounters();
    private final WritesInFlight writes = new WritesInFlight();
    private final SyncedVersions synced = new SyncedVersions(SYNCED_VERSIONS_REMEMBERED);
    private volatile long rejectedAtStart;
    /** When each side started being read (ms into the cycle): the side before it (and its writes) took until then. */
    private final Map<Side, Long> sideStartedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile CycleSummary last;
    private final CycleProgress progress;
    private final List<CycleObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Map<Side, Instant> committed;
    private final Heartbeat heartbeat;
    /** Where the cycle that this one goes on from stood (null: the windows are read from their start). */
    private volatile CyclePosition resumed;
    /** Per side, where this cycle's reading stands, every page before it written (what it commits). */
    private final Map<Side, String> positions = new EnumMap<>(Side.class);
    private final Set<Side> sidesRead = EnumSet.noneOf(Side.class);
    private int pagesWritten;
    private long positionSavedMillis;
    private boolean positionSaved;

    public SyncCycle(String pair, Checkpoints checkpoints, DeadLetters deadLetters, Duration overlap,
            Duration period, Clock clock) {
        this.pair = pair;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.windows = new CycleWindows(overlap);
        this.backoff = new Backoff(period);
        this.progress = new CycleProgress(pair, counters::readInCycle);
        this.heartbeat = new Heartbeat(pair, clock.instant());
    }

    /** Told of each record written, each page read and each cycle's end (the health, the metrics). */
    public void observe(CycleObserver observer) {
        observers.add(observer);
    }

    public void stopObserving(CycleObserver observer) {
        observers.remove(observer);
    }

    /** False while backing off after failed cycles. */
    public boolean due() {
        return backoff.allows(clock.instant());
    }

    /** Starts a cycle: its number, its counters and its clock (connecting to the stores may follow and fail). */
    public void begin() {
        writes.settle();
        writes.forgetPages();
        synchronized (positions) {
            positions.clear();
            sidesRead.clear();
            pagesWritten = 0;
            positionSaved = false;
            positionSavedMillis = clock.millis();
        }
        resumed = null;
        counters.started();
        progress.reset();
        sideStartedAt.clear();
        rejectedAtStart = deadLetters.count();
    }

    /**
     * Opens the cycle's windows from the checkpoints ({@link CycleWindows#open}; {@code empty}
     * tells whether a store holds no record at all, and may fail: the side is then read in full).
     * When an earlier cycle committed its position and did not end (a kill, a restart, a failover,
     * a failure), this one goes on from there: the same windows, each side from where it stood.
     */
    public void openWindows(Predicate<Side> empty) {
        Map<Side, Instant> saved = checkpoints.load();
        if (committed == null) {
            committed = saved;
        }
        Optional<CyclePosition> position = checkpoints.position();
        if (position.isPresent()) {
            goOnFrom(position.get());
            return;
        }
        windows.open(clock.instant(), saved, side -> {
            try {
                return empty.test(side);
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private void goOnFrom(CyclePosition position) {
        windows.resume(position);
        resumed = position;
        synchronized (positions) {
            positions.putAll(position.positions());
            sidesRead.addAll(position.done());
        }
        LOG.info("{} cycle {} goes on from where a cycle that began at {} stood: {}", pair, counters.cycleNumber(),
                Timestamps.format(position.until()), describe(position));
    }

    private static String describe(CyclePosition position) {
        List<String> sides = new ArrayList<>();
        for (Side side : Side.values()) {
            sides.add(side.label() + " " + (position.done().contains(side) ? "already read"
                    : position.position(side).map(p -> "from " + p).orElse("from the start")));
        }
        return String.join(", ", sides);
    }

    /** Where this side's reading goes on from, in the store's order; empty: from the window's start. */
    public Optional<String> goesOnFrom(Side side) {
        CyclePosition r = resumed;
        return r == null ? Optional.empty() : r.position(side);
    }

    /** True when the cycle this one goes on from had read {@code side} to its end. */
    public boolean alreadyRead(Side side) {
        CyclePosition r = resumed;
        return r != null && r.done().contains(side);
    }

    /** Opens windows over everything both stores hold, whatever the checkpoints say ({@code verify}). */
    public void openFullWindows() {
        committed = checkpoints.load();
        windows.open(clock.instant(), Map.of(), side -> false);
    }

    public SyncWindow window(Side side) {
        sideStartedAt.putIfAbsent(side, counters.millis());
        SyncWindow w = windows.window(side);
        progress.sideStarted(side, w);
        return w;
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
        if (!page.isEmpty()) {
            observers.forEach(CycleObserver::progressed);
            progress.pageRead(page.get(0).side());
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

    @Override
    public void fetched(Side side, int count) {
        counters.fetched(side, count);
    }

    /** {@code count} counterparts of the other side's changes are requested by id in {@code side}. */
    public void lookedUp(Side side, int count) {
        counters.lookedUp(side, count);
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
        long lag = clock.millis() - record.lastModified().toEpochMilli();
        observers.forEach(o -> o.written(write.target(), lag));
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

    /**
     * The writes of a page of {@code side} were started (or there were none); the page ends at
     * {@code endsAt} of the store's reading order (null when the reader does not say). A cycle that
     * has run a second and written a few pages commits, at most every second, the position up to
     * which every page's writes have landed, without waiting for the others: a kill loses at most
     * about the last second.
     */
    public void pageWritten(Side side, String endsAt) {
        writes.pageSent(endsAt);
        String landed = writes.landedUpTo();
        synchronized (positions) {
            pagesWritten++;
            long now = clock.millis();
            if (pagesWritten < POSITION_AFTER_PAGES || now - positionSavedMillis < POSITION_EVERY_MILLIS
                    || landed == null || landed.equals(positions.get(side))) {
                return;
            }
            positions.put(side, landed);
            savePosition(now);
        }
    }

    /** Every page of {@code side} was read and its writes landed: a later cycle that goes on from here skips it. */
    public void sideRead(Side side) {
        writes.forgetPages();
        synchronized (positions) {
            sidesRead.add(side);
            positions.remove(side);
            // a position is kept for this cycle: it says so too (the cycle that goes on skips the side)
            if (positionSaved || resumed != null) {
                savePosition(clock.millis());
            }
        }
    }

    private void savePosition(long now) {
        checkpoints.savePosition(windows.position(positions, sidesRead));
        positionSaved = true;
        positionSavedMillis = now;
    }

    /** Waits for the writes still in flight, then commits both checkpoints and logs the summary line. */
    public void commit() {
        writes.awaitAll();
        Map<Side, Instant> watermarks = windows.watermarks();
        checkpoints.save(watermarks);
        committed = watermarks;
        backoff.succeeded();
        counters.rejected(deadLetters.count() - rejectedAtStart);
        last = counters.cycle(false);
        progress.ended();
        observers.forEach(o -> {
            o.succeeded();
            o.ended(last);
        });
        Map<Side, Long> took = sideMillis(last.millis());
        // a cycle that changed nothing is not news; the heartbeat says the pair is alive
        boolean news = last.writtenInAll() + last.conflicts() + last.rejected() > 0;
        heartbeat.cycleEnded(last, clock.instant(), this::checkpointAges);
        if (!news && !LOG.isDebugEnabled()) {
            return;
        }
        String line = "{} cycle {}: cassandra→elasticsearch read {} written {} | elasticsearch→cassandra read {} written {}"
                + " | unchanged {} | conflicts {} | rejected {} | {} ms (Cassandra side {} ms, Elasticsearch side {} ms)"
                + " | content read {} + {} | looked up {} + {}";
        // read counts every version seen; content read only those not recognised by their metadata
        Object[] values = {pair, last.cycle(), last.readCassandra(), last.writtenElasticsearch(),
            last.readElasticsearch(), last.writtenCassandra(), last.unchanged(), last.conflicts(), last.rejected(),
            last.millis(), took.get(Side.CASSANDRA), took.get(Side.ELASTICSEARCH),
            counters.fetchedInCycle(Side.CASSANDRA), counters.fetchedInCycle(Side.ELASTICSEARCH),
            counters.lookedUpInCycle(Side.ELASTICSEARCH), counters.lookedUpInCycle(Side.CASSANDRA)};
        if (news) {
            LOG.info(line, values);
        } else {
            LOG.debug(line, values);
        }
    }

    /**
     * One line per failed cycle; nothing is committed, so the next cycle reads the same changes
     * again, after the back-off.
     */
    public void failed(Exception cause) {
        failed(cause, Optional.empty());
    }

    /** As {@link #failed(Exception)}, with {@code explanation} (what to fix) instead of the exception's own message. */
    public void failed(Exception cause, Optional<String> explanation) {
        last = counters.cycle(true);
        progress.ended();
        String reason = explanation.orElseGet(() -> rootMessage(cause));
        observers.forEach(o -> {
            o.failed(reason, explanation.isPresent());
            o.ended(last);
        });
        heartbeat.cycleEnded(last, clock.instant(), this::checkpointAges);
        Duration pause = backoff.failed(clock.instant());
        LOG.warn("{} cycle {} failed after {} ms, retrying in {} s: {}", pair, last.cycle(), last.millis(),
                pause.toMillis() / 1000.0, reason);
    }

    /**
     * The cycle stopped because this instance no longer leads the pair: nothing is committed, no
     * back-off follows (the next cycle runs only if this instance is elected again), and the
     * health is not told of a failure (the stores are fine).
     */
    public void abandoned(String reason) {
        CycleSummary stopped = counters.cycle(true);
        progress.ended();
        LOG.warn("{} cycle {} stopped after {} ms without committing: {}", pair, stopped.cycle(), stopped.millis(),
                reason);
    }

    /** Ends the back-off at once (the stores answer again after an outage): the next trigger runs a cycle. */
    public void endBackoff() {
        backoff.succeeded();
    }

    /** True while the back-off after a failed cycle lasts. */
    public boolean backingOff() {
        return !backoff.allows(clock.instant());
    }

    /**
     * How long each side took, in the order they are read: the first from the cycle's start
     * (connecting and opening the windows included), each up to the next side's start, the last
     * up to the end (its writes included).
     */
    private Map<Side, Long> sideMillis(long total) {
        Map<Side, Long> took = new EnumMap<>(Side.class);
        Side[] order = Side.values();
        for (int i = 0; i < order.length; i++) {
            long from = i == 0 ? 0 : sideStartedAt.getOrDefault(order[i], total);
            long to = i + 1 < order.length ? sideStartedAt.getOrDefault(order[i + 1], total) : total;
            took.put(order[i], Math.max(0, to - from));
        }
        return took;
    }

    /** The summary of the last finished cycle, or null before the first one. */
    public CycleSummary lastCycle() {
        return last;
    }

    public CycleSummary totals() {
        return counters.totals();
    }

    /** Records whose content the readers fetched from {@code side}, over every cycle since start. */
    public long contentRead(Side side) {
        return counters.fetchedInTotal(side);
    }

    /** How far a long cycle has come, per side. */
    public CycleProgress progress() {
        return progress;
    }

    /** How far each side's committed checkpoint is behind now; empty before a checkpoint is known. */
    public Map<Side, Duration> checkpointAges() {
        Map<Side, Instant> c = committed;
        Map<Side, Duration> ages = new EnumMap<>(Side.class);
        if (c != null) {
            Instant now = clock.instant();
            c.forEach((side, at) -> ages.put(side, Duration.between(at, now)));
        }
        return ages;
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

package org.cassandraessync.cycle;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.cassandraessync.record.Positioned;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a long cycle has come on each side: records read, of about how many, the rate and the
 * time left. A progress line every {@value #LINE_EVERY_SECONDS} s while a side is read. The total is
 * asked of the store once, with the first line: a count over Cassandra's timestamp index reads the
 * window a second time, so it is worth it only for a side that is read that long (a first
 * reconciliation, a catch-up); the lines after the first show it. Short cycles log none and ask
 * for no estimate. A reader that says where it stands ({@link Positioned}) gives a better one: the
 * share of its reading order before its position (a token's place on the ring), which holds for a
 * table created a minute ago, whose size Cassandra does not estimate yet, and for a cycle that goes
 * on from where an earlier one stood.
 */
public final class CycleProgress {

    private static final Logger LOG = LoggerFactory.getLogger(CycleProgress.class);
    static final int LINE_EVERY_SECONDS = 10;

    /**
     * The figures of one side of the running cycle; {@code position} and {@code share} (0 to 1 of
     * the reading) as of the last progress line, when its reader says.
     */
    public record Figures(long read, OptionalLong estimated, double perSecond, OptionalLong etaSeconds,
            String position, OptionalDouble share) {

        static final Figures NONE = new Figures(0, OptionalLong.empty(), 0, OptionalLong.empty(), null,
                OptionalDouble.empty());
    }

    private final class SideProgress {
        final Side side;
        volatile long startNanos;
        volatile long lastLineNanos;
        volatile CompletableFuture<OptionalLong> estimate;
        SyncWindow window;
        /** The side's reader when it says where it stands, and where it started (a cycle going on). */
        volatile Positioned reader;
        volatile String from;
        /** As of the last progress line: the reader's position, and the share before it and before {@code from}. */
        volatile String position;
        volatile OptionalDouble share = OptionalDouble.empty();
        volatile double shareAtStart;

        SideProgress(Side side) {
            this.side = side;
        }

        void start(SyncWindow w, long now) {
            window = w;
            startNanos = now;
            lastLineNanos = now;
            estimate = null;
            reader = null;
            from = null;
            position = null;
            share = OptionalDouble.empty();
            shareAtStart = 0;
        }

        /** Asks the reader where it stands and which share of its reading that is (it may ask its store). */
        void locate() {
            Positioned r = reader;
            if (r == null || r.position() == null) {
                return;
            }
            try {
                if (position == null && from != null) {
                    shareAtStart = r.shareBefore(from).orElse(0);
                }
                position = r.position();
                share = r.shareBefore(position);
            } catch (RuntimeException e) {
                share = OptionalDouble.empty();
            }
        }

        Figures figures(long now) {
            long read = readSoFar.applyAsLong(side);
            double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
            double rate = read / seconds;
            OptionalDouble sh = share;
            double done = sh.isPresent() ? sh.getAsDouble() - shareAtStart : 0;
            if (done > 0 && read > 0) {
                // this run read `read` records over `done` of the reading: the rest at the same pace
                long total = Math.max(read, Math.round(read * (1 - shareAtStart) / done));
                long eta = Math.round(seconds * Math.max(0, 1 - sh.getAsDouble()) / done);
                return new Figures(read, OptionalLong.of(total), rate, OptionalLong.of(eta), position, sh);
            }
            CompletableFuture<OptionalLong> e = estimate;
            OptionalLong answer = e != null && e.isDone() && !e.isCompletedExceptionally() ? e.join()
                    : OptionalLong.empty();
            // an estimate below what was already read (stale size estimates) says nothing
            OptionalLong estimated = answer.isPresent() && answer.getAsLong() >= read ? answer : OptionalLong.empty();
            OptionalLong eta = estimated.isPresent() && rate > 0
                    ? OptionalLong.of(Math.round(Math.max(0, estimated.getAsLong() - read) / rate))
                    : OptionalLong.empty();
            return new Figures(read, estimated, rate, eta, position, sh);
        }
    }

    private final String pair;
    private final ToLongFunction<Side> readSoFar;
    private final LongSupplier nanoTime;
    private final Map<Side, SideProgress> sides = new EnumMap<>(Side.class);
    private volatile BiFunction<Side, SyncWindow, CompletableFuture<OptionalLong>> estimator;
    private volatile Side reading;

    /** @param readSoFar the records read so far on a side in the running cycle */
    public CycleProgress(String pair, ToLongFunction<Side> readSoFar) {
        this(pair, readSoFar, System::nanoTime);
    }

    CycleProgress(String pair, ToLongFunction<Side> readSoFar, LongSupplier nanoTime) {
        this.pair = pair;
        this.readSoFar = readSoFar;
        this.nanoTime = nanoTime;
        for (Side s : Side.values()) {
            sides.put(s, new SideProgress(s));
        }
    }

    /** Where the totals come from (set when the pair's stores are ready). */
    public void estimator(BiFunction<Side, SyncWindow, CompletableFuture<OptionalLong>> estimator) {
        this.estimator = estimator;
    }

    /** A new cycle: nothing is being read yet. */
    void reset() {
        reading = null;
        sides.values().forEach(p -> p.startNanos = 0);
    }

    /** {@code side} starts being read over {@code window}. */
    void sideStarted(Side side, SyncWindow window) {
        sides.get(side).start(window, nanoTime.getAsLong());
        reading = side;
    }

    /**
     * The reader of {@code side} says where it stands; it starts from {@code from} (null: the
     * window's start), when the cycle goes on from an earlier one.
     */
    public void reader(Side side, Positioned reader, String from) {
        SideProgress p = sides.get(side);
        p.reader = reader;
        p.from = from;
    }

    /** A page was read on {@code side}: may ask for the estimate, may log a progress line. */
    void pageRead(Side side) {
        SideProgress p = sides.get(side);
        if (p.startNanos == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - p.lastLineNanos >= LINE_EVERY_SECONDS * 1_000_000_000L) {
            p.lastLineNanos = now;
            p.locate();
            Figures f = p.figures(now);
            var ask = estimator;
            if (p.estimate == null && ask != null) {
                try {
                    p.estimate = ask.apply(side, p.window);
                } catch (RuntimeException e) {
                    p.estimate = CompletableFuture.failedFuture(e);
                }
            }
            LOG.info("{} progress {}: {} records read{}, {}/s{}{}", pair, direction(side), f.read(),
                    f.estimated().isPresent() ? " of about " + f.estimated().getAsLong() + " ("
                            + Math.min(100, 100 * f.read() / Math.max(1, f.estimated().getAsLong())) + "%)" : "",
                    Math.round(f.perSecond()),
                    f.etaSeconds().isPresent() ? ", about " + duration(f.etaSeconds().getAsLong()) + " left" : "",
                    f.position() == null ? "" : "; at " + f.position() + (f.share().isPresent()
                            ? String.format(java.util.Locale.ROOT, " (%.0f%% of the reading)", 100 * f.share().getAsDouble())
                            : ""));
        }
    }

    /** The figures of {@code side} while it is read; zeros otherwise. */
    public Figures figures(Side side) {
        if (reading != side) {
            return Figures.NONE;
        }
        return sides.get(side).figures(nanoTime.getAsLong());
    }

    /** The side being read, or null between cycles. */
    public Side reading() {
        return reading;
    }

    void ended() {
        reading = null;
    }

    static String direction(Side source) {
        return source.label() + "→" + source.opposite().label();
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}

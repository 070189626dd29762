package org.cassandraessync.ha;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.camel.CamelContext;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.record.Side;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.CyclePosition;
import org.cassandraessync.state.StaleTermException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part in a pair's election (always the runner without one), and the pair's
 * leadership term while it leads. The first cycle of a leadership begins a term in the checkpoint
 * store ({@link Checkpoints#beginTerm}), and its commits carry the term ({@link #fenced}): once
 * another instance has begun a newer one, they are refused. Between the pages of a cycle,
 * {@link #confirm} stops a deposed leader before it writes more: when the election says another
 * instance leads, or when this process has been paused (a watcher that ticks every 250 ms saw a
 * gap) and the checkpoint store holds a newer term. A paused process does not lead (the leader
 * gauge reads 0, no cycle starts) until the election, asked afresh, and the checkpoint store
 * confirm it: while it was stopped another instance may have been elected, and what it last heard
 * from the election is stale.
 */
public final class ElectedRole implements PairRole {

    private static final Logger LOG = LoggerFactory.getLogger(ElectedRole.class);
    private static final long TICK_MILLIS = 250;
    /** A gap between two ticks this long means the process (or its clock) was stopped meanwhile. */
    private static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long NO_TERM = 0;
    /** With ZooKeeper, a standby checks every 2 s that it is still a candidate ({@link #stayCandidate}). */
    private static final int CANDIDACY_CHECK_TICKS = 8;

    private final CamelContext context;
    private final String pair;
    private final HighAvailability ha;
    private final Checkpoints checkpoints;

    private volatile Instant since;
    private volatile Instant announced;
    private volatile long term = NO_TERM;
    private final LongSupplier nanoTime;
    private volatile long lastTickNanos;
    /** When this instance last confirmed its leadership after a pause ({@link #reconfirm}). */
    private volatile long confirmedNanos;
    /** Paused while leading, and not confirmed since. */
    private volatile boolean unconfirmed;
    /** Deposed while the election still names this instance: it leads nothing until the election lets go. */
    private volatile boolean rejoining;
    private ScheduledExecutorService watcher;
    private int ticksAsStandby;
    private int missedCandidacies;

    public ElectedRole(CamelContext context, String pair, HighAvailability ha, Checkpoints checkpoints) {
        this(context, pair, ha, checkpoints, System::nanoTime);
    }

    /** With the clock pauses are measured on ({@link System#nanoTime()}, or a test's). */
    ElectedRole(CamelContext context, String pair, HighAvailability ha, Checkpoints checkpoints,
            LongSupplier nanoTime) {
        this.context = context;
        this.pair = pair;
        this.ha = ha;
        this.checkpoints = checkpoints;
        this.nanoTime = nanoTime;
        this.lastTickNanos = nanoTime.getAsLong();
        this.confirmedNanos = lastTickNanos;
    }

    @Override
    public boolean elected() {
        return ha.enabled();
    }

    @Override
    public boolean leads() {
        boolean named = Leadership.leads(context, pair);
        synchronized (this) {
            if (rejoining && !named) {
                // the election has let go of this instance: it is a candidate like the others again
                rejoining = false;
            }
            boolean leads = named && !rejoining;
            if (!leads) {
                if (since != null) {
                    lost("the election (" + ha.clusterService().name().toLowerCase(java.util.Locale.ROOT)
                            + ") no longer names this instance");
                }
            } else if (since == null) {
                since = Instant.now();
            }
            return leads && !paused();
        }
    }

    /**
     * Paused and not confirmed since: the watcher saw the gap, or has not ticked for longer than a
     * pause (it has not run yet since this process resumed).
     */
    private boolean paused() {
        return unconfirmed || watcher != null
                && nanoTime.getAsLong() - Math.max(lastTickNanos, confirmedNanos) > PAUSE_NANOS;
    }

    /** As of the last {@link #leads()} (which sets and clears it), so the election is asked once per check. */
    @Override
    public Optional<Instant> leadingSince() {
        return Optional.ofNullable(since);
    }

    @Override
    public String instance() {
        return ha.instanceId();
    }

    @Override
    public Optional<String> lastCommit() {
        try {
            return checkpoints.lastCommit().map(c -> c.instance() + " at " + c.at());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The term this instance leads the pair in; 0 when it leads none (or there is no election). */
    public long term() {
        return term;
    }

    /**
     * The checkpoints as the pair's cycle commits them: with an election, each commit carries the
     * term ({@link Checkpoints#save(Map, long)}); a refusal is a {@link StaleTermException}.
     */
    public Checkpoints fenced() {
        return new FencedCheckpoints(checkpoints, this);
    }

    /** Watches the election every 250 ms (the loss is logged when it happens) and notices pauses of the process. */
    public void watch(ScheduledExecutorService executor) {
        watch(executor, TICK_MILLIS);
    }

    /** As {@link #watch(ScheduledExecutorService)}, ticking every {@code tickMillis} (a test ticks by hand). */
    void watch(ScheduledExecutorService executor, long tickMillis) {
        if (!ha.enabled()) {
            return;
        }
        watcher = executor;
        lastTickNanos = nanoTime.getAsLong();
        executor.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    void tick() {
        long now = nanoTime.getAsLong();
        long gap = now - lastTickNanos;
        lastTickNanos = now;
        if (gap > PAUSE_NANOS && (term != NO_TERM || since != null) && !unconfirmed) {
            // (a tick still confirming, blocked by an election that does not answer, is no new pause)
            unconfirmed = true;
            LOG.warn("pair '{}': this process did not run for {} s (a GC pause, SIGSTOP, a frozen VM or disk): it"
                    + " leads the pair again only once the election and {} confirm it", pair,
                    TimeUnit.NANOSECONDS.toMillis(gap) / 1000.0, checkpoints.location());
        }
        if (unconfirmed) {
            try {
                reconfirm();
            } catch (LeadershipLostException e) {
                if (rejoining) {
                    Leadership.rejoin(context, pair);
                }
            } catch (RuntimeException e) {
                LOG.debug("pair '{}': the checkpoint store did not answer", pair, e);
            }
        }
        try {
            boolean leads = leads();
            if (!leads && ha.clusterService() == HighAvailability.ClusterService.ZOOKEEPER
                    && ++ticksAsStandby % CANDIDACY_CHECK_TICKS == 0) {
                stayCandidate();
            }
        } catch (RuntimeException e) {
            LOG.debug("pair '{}': the election did not answer", pair, e);
        }
    }

    /**
     * Camel's ZooKeeper view (4.14.0) does not requeue its Curator leader selector: after the
     * connection to ZooKeeper was lost (the ensemble restarted, a partition), an instance that was
     * leading, or waiting in the queue, is out of the election for good. A standby that is missing
     * from the participants at two checks in a row (2 s apart) joins the election again.
     */
    private void stayCandidate() {
        Optional<Boolean> candidate = Leadership.candidate(context, pair);
        if (candidate.isEmpty() || candidate.get()) {
            missedCandidacies = 0;
            return;
        }
        if (++missedCandidacies >= 2) {
            missedCandidacies = 0;
            LOG.info("pair '{}': instance {} is missing from the election's participants (its ZooKeeper connection"
                    + " was lost meanwhile)", pair, ha.instanceId());
            Leadership.rejoin(context, pair);
        }
    }

    /**
     * The first cycle of a leadership begins a term, says so, and where it goes on from (a
     * failover is visible in the log).
     */
    public void announce() {
        Instant current = ha.enabled() && leads() ? since : null;
        if (current == null || current.equals(announced)) {
            return;
        }
        term = checkpoints.beginTerm();
        announced = current;
        Optional<Checkpoints.Commit> last = checkpoints.lastCommit();
        Optional<CyclePosition> position = checkpoints.position();
        String from = last.map(c -> "the checkpoints " + c.instance() + " committed at " + c.at())
                .orElse(position.isPresent() ? "no checkpoint yet" : "no checkpoint (a full reconciliation)");
        LOG.info("pair '{}': instance {} leads it and goes on from {}{} in {} (term {})", pair, ha.instanceId(), from,
                position.map(p -> ", and from where the cycle that began at " + p.until() + " stood").orElse(""),
                checkpoints.location(), term);
    }

    /**
     * Between the pages of a cycle, before anything more is written.
     *
     * @throws LeadershipLostException when the election names another instance, or when, after
     *         this process was paused, the election or the checkpoint store name another one (a
     *         newer term) or the election cannot tell yet
     */
    public void confirm() {
        if (!ha.enabled()) {
            return;
        }
        if (paused()) {
            reconfirm();
        }
        if (!leads()) {
            throw new LeadershipLostException(pair, "the election no longer names this instance");
        }
    }

    /**
     * After a pause: the election, asked afresh ({@link Leadership#leaderNow}), must name this
     * instance, and the checkpoint store must hold no newer term than this instance's.
     *
     * @throws LeadershipLostException when either names another instance (deposed: it leaves the
     *         election and joins it again), or the election cannot tell yet (still unconfirmed)
     * @throws RuntimeException when the checkpoint store does not answer (still unconfirmed)
     */
    private void reconfirm() {
        Optional<Boolean> named = Leadership.leaderNow(context, pair);
        if (named.isEmpty()) {
            throw new LeadershipLostException(pair, "the election has not confirmed this instance since it was"
                    + " paused");
        }
        if (!named.get()) {
            depose("the election (" + ha.clusterService().name().toLowerCase(java.util.Locale.ROOT) + ") named"
                    + " another instance while this one was paused");
        }
        long held = term;
        if (held != NO_TERM) {
            Optional<Checkpoints.Term> newest = checkpoints.currentTerm();
            if (newest.isPresent() && newest.get().number() != held) {
                depose("instance " + newest.get().instance() + " began term " + newest.get().number() + " in "
                        + checkpoints.location() + " while this one (term " + held + ") was paused");
            }
        }
        confirmedNanos = nanoTime.getAsLong();
        unconfirmed = false;
    }

    private void depose(String why) {
        rejoining = true;
        lost(why);
        throw new LeadershipLostException(pair, why);
    }

    /**
     * The cycle stopped because this instance no longer leads ({@link LeadershipLostException},
     * or a commit refused by a newer term, {@link StaleTermException}). When the election may
     * still name this instance (a newer term began elsewhere), it leaves the election and joins it
     * again as a candidate ({@link Leadership#rejoin}), so that the instance of the newer term
     * leads alone.
     */
    public void deposed(RuntimeException cause) {
        if (cause instanceof StaleTermException refused) {
            rejoining = true;
            lost("its commit was refused: " + refused.getMessage());
        }
        if (rejoining && watcher != null) {
            watcher.execute(() -> Leadership.rejoin(context, pair));
        }
    }

    /** The leadership-related cause of a failed cycle, if that is why it failed. */
    public static Optional<RuntimeException> deposition(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LeadershipLostException || t instanceof StaleTermException) {
                return Optional.of((RuntimeException) t);
            }
        }
        return Optional.empty();
    }

    private synchronized void lost(String why) {
        if (since == null && term == NO_TERM) {
            return;
        }
        LOG.warn("leadership of pair '{}' lost by instance {} (term {}): {}. Its cycle stops at the next page without"
                + " committing; it runs no cycle until it is elected again", pair, ha.instanceId(), term, why);
        since = null;
        term = NO_TERM;
        unconfirmed = false;
    }

    /** A commit (the watermarks, a cycle's position) that carries the pair's term while this instance leads in one. */
    private record FencedCheckpoints(Checkpoints delegate, ElectedRole role) implements Checkpoints {
        @Override
        public Map<Side, Instant> load() {
            return delegate.load();
        }

        @Override
        public void save(Map<Side, Instant> watermarks) {
            if (!role.elected()) {
                delegate.save(watermarks);
                return;
            }
            delegate.save(watermarks, heldTerm());
        }

        private long heldTerm() {
            long term = role.term();
            if (term == NO_TERM) {
                throw new LeadershipLostException(role.pair, "this instance leads the pair in no term");
            }
            return term;
        }

        @Override
        public Optional<CyclePosition> position() {
            return delegate.position();
        }

        @Override
        public void savePosition(CyclePosition position) {
            if (!role.elected()) {
                delegate.savePosition(position);
                return;
            }
            delegate.savePosition(position, heldTerm());
        }

        @Override
        public void savePosition(CyclePosition position, long term) {
            delegate.savePosition(position, term);
        }

        @Override
        public long beginTerm() {
            return delegate.beginTerm();
        }

        @Override
        public void save(Map<Side, Instant> watermarks, long term) {
            delegate.save(watermarks, term);
        }

        @Override
        public Optional<Term> currentTerm() {
            return delegate.currentTerm();
        }

        @Override
        public Optional<Commit> lastCommit() {
            return delegate.lastCommit();
        }

        @Override
        public String location() {
            return delegate.location();
        }
    }
}

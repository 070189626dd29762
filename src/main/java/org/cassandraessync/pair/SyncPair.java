package org.cassandraessync.pair;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.health.HealthCheckRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.processor.aggregate.AggregateController;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.util.StringHelper;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.cycle.CycleObserver;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.cycle.DecisionsInFlight;
import org.cassandraessync.cycle.NewestWinsAggregationStrategy;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.observe.PairHealth;
import org.cassandraessync.observe.PairMetrics;
import org.cassandraessync.observe.PairReadiness;
import org.cassandraessync.ha.ElectedRole;
import org.cassandraessync.observe.SchedulerLiveness;
import org.cassandraessync.record.Json;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Positioned;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.DeadLetters;

/**
 * One table ↔ index pair: the bean each instance of the {@code cassandra-es-sync} route template
 * creates (its parameters arrive as one map, {@link #getParameters}) and the route calls, step by step. It
 * keeps the pair's own state (checkpoints, dead-letter file, counters, back-off) and uses the
 * daemon's shared connections ({@link StoreClients}); its threads come from Camel's
 * {@link ExecutorServiceManager} and stop with the route.
 *
 * <p>The winners reach {@link #toElasticsearch} / {@link #toCassandra} as messages, one per
 * record, after whatever steps the route has between the aggregation and the write step; they
 * are sent to the store a page at a time by {@link #pageDone}. The ordering rules are enforced
 * here, not left to the route: a page's writes are sent only once every record decided in it is
 * through its steps ({@link DecisionsInFlight}), and the checkpoint commits only once they landed.
 */
public class SyncPair implements CamelContextAware {

    /** Each pair is also in the Camel registry under this prefix and its name. */
    public static final String BEAN_PREFIX = "syncPair-";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SyncPair.class);
    /** How long the steps after the aggregation may take for one page's records. */
    private static final Duration DECISIONS_TIMEOUT = Duration.ofMinutes(1);
    /** How long the probe that may end a back-off waits for the stores' answers. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** The registry camel-micrometer-prometheus serves at /observe/metrics. */
    private static final String METRICS_REGISTRY = "metricsRegistry";

    private final Map<String, String> parameters = new HashMap<>();
    private CamelContext context;
    private NewestWinsAggregationStrategy newestWins;
    private AggregateController decisions;

    private PairSettings settings;
    private StoreClients clients;
    private SyncCycle cycle;
    private DeadLetters deadLetters;
    private ObjectMapper json;
    private ExecutorService readAhead;
    private ExecutorService bulkSenders;
    private volatile PairStores stores;
    private StoreFactory storeFactory;
    private PairReadiness readiness;
    private volatile PairMetrics metrics;
    private PairHealth health;
    private Checkpoints checkpoints;
    private ElectedRole role;
    private java.util.concurrent.ScheduledExecutorService leadershipWatch;
    /** The side the cycle reads now, and its reader when that can say where it stands. */
    private volatile Side readingSide;
    private volatile Positioned reading;
    /** The last cycle failed while a store did not answer: a probe may end the back-off early. */
    private volatile boolean storeUnreachable;
    private final Map<Side, List<PendingWrite>> toWrite = new EnumMap<>(Side.class);

    {
        for (Side target : Side.values()) {
            toWrite.put(target, new ArrayList<>());
        }
    }

    // --- the template's parameters and beans ------------------------------------------------------

    /**
     * The pair's parameters, as one value: the template's {@code parameters} property, which Camel
     * binds entry by entry into this map (turning {@code batch-size} into {@code batchSize});
     * validated together by {@link #init}.
     */
    public Map<String, String> getParameters() {
        return parameters;
    }

    /** The route's newest-wins aggregation strategy (the template's {@code newestWins} bean). */
    public void setNewestWins(NewestWinsAggregationStrategy newestWins) {
        this.newestWins = newestWins;
    }

    /** The controller of the route's aggregation (the template's {@code decisions} bean). */
    public void setDecisions(AggregateController decisions) {
        this.decisions = decisions;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /**
     * Validates the parameters (failing startup with every problem, naming the pair and the
     * parameter) and prepares the pair's state. No store is contacted here.
     */
    public void init() {
        settings = PairSettings.from(name -> parameters.get(StringHelper.dashToCamelCase(name)));
        if (newestWins == null || decisions == null) {
            throw new IllegalStateException("pair '" + settings.pair() + "': the route template must give the pair"
                    + " its newestWins and decisions beans");
        }
        newestWins.setTieBreaker(settings.tieBreaker());
        clients = StoreClients.shared(context);
        clients.register(settings.pair());
        // findable by operators' tools and tests
        context.getRegistry().bind(BEAN_PREFIX + settings.pair(), SyncPair.class, this);
        SyncSettings daemon = clients.settings();
        json = Json.newMapper();
        StoreFactory bound = context.getRegistry().lookupByNameAndType(StoreFactory.BEAN, StoreFactory.class);
        storeFactory = bound != null ? bound : new ConnectedStores(clients, json);
        deadLetters = new DeadLetters(daemon.stateDir(), settings.pair(), json);
        checkpoints = PairStores.checkpoints(settings, clients, json);
        role = new ElectedRole(context, settings.pair(), daemon.ha(), checkpoints);
        // with an election, each commit carries the leader's term and is refused once a newer one began
        cycle = new SyncCycle(settings.pair(), role.fenced(), deadLetters, settings.overlap(), settings.period(),
                Clock.systemUTC());
        health = new PairHealth(Clock.systemUTC());
        cycle.observe(health);
        observe();
        ExecutorServiceManager threads = context.getExecutorServiceManager();
        readAhead = threads.newCachedThreadPool(this, "sync-read-ahead-" + settings.pair());
        bulkSenders = threads.newFixedThreadPool(this, "sync-bulk-" + settings.pair(),
                ConnectedStores.ELASTICSEARCH_BULKS_IN_FLIGHT);
        if (role.elected()) {
            leadershipWatch = threads.newSingleThreadScheduledExecutor(this, "sync-leadership-" + settings.pair());
            role.watch(leadershipWatch);
        }
    }

    /**
     * The pair's readiness check and (when Camel serves metrics) its meters; the scheduler's
     * liveness check once per context.
     */
    private void observe() {
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null) {
            readiness = new PairReadiness(settings.pair(), cycle, health, clients, settings.period(), settings.cron(),
                    role);
            readiness.setCamelContext(context);
            checks.register(readiness);
            SchedulerLiveness.ensureRegistered(context);
        }
        bindMetrics();
        // a standby runs no cycle: its meters (the leader gauge first) are bound once Camel runs
        try {
            context.addStartupListener(new org.apache.camel.StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                    bindMetrics();
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                    bindMetrics();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot follow the Camel context's start", e);
        }
    }

    /** Binds the meters once Camel's registry exists (camel-main may create it after the pairs). */
    private synchronized void bindMetrics() {
        if (metrics == null) {
            MeterRegistry registry = context.getRegistry().lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
            if (registry == null) {
                registry = applicationRegistry(context.getRegistry().findByType(MeterRegistry.class));
            }
            if (registry != null) {
                metrics = PairMetrics.bind(registry, settings.pair(), cycle, health, role, readiness);
            }
        }
    }

    /**
     * Embedded without Camel's {@code metricsRegistry} (Spring Boot): the application's registry,
     * the one there is, or the composite that feeds the others.
     */
    static MeterRegistry applicationRegistry(Set<MeterRegistry> found) {
        if (found.size() == 1) {
            return found.iterator().next();
        }
        return found.stream().filter(CompositeMeterRegistry.class::isInstance).findFirst().orElse(null);
    }

    /** Stops the pair's threads (the route is stopping). */
    public void close() {
        if (context != null && settings != null) {
            context.getRegistry().unbind(BEAN_PREFIX + settings.pair());
            clients.unregister(settings.pair());
            HealthCheckRegistry checks = HealthCheckRegistry.get(context);
            if (checks != null && readiness != null) {
                checks.unregister(readiness);
            }
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (context != null && readAhead != null) {
            context.getExecutorServiceManager().shutdown(readAhead);
            context.getExecutorServiceManager().shutdown(bulkSenders);
            if (leadershipWatch != null) {
                context.getExecutorServiceManager().shutdown(leadershipWatch);
            }
        }
    }

    // --- the steps of the route, in order -----------------------------------------------------------

    /**
     * False while another instance leads the pair, and while backing off after failed cycles;
     * when the last one failed for want of a store, the back-off ends as soon as both stores
     * answer a trivial request again (the readiness probe's).
     */
    public boolean due() {
        if (role.elected() && !role.leads()) {
            return false;
        }
        if (cycle.due()) {
            return true;
        }
        if (storeUnreachable && clients.problems(PROBE_TIMEOUT).isEmpty()) {
            storeUnreachable = false;
            cycle.endBackoff();
            LOG.info("pair '{}': both stores answer again; the back-off ends and a cycle runs now", settings.pair());
            return true;
        }
        return false;
    }

    /**
     * Starts a cycle: connects the pair to the stores first when needed (creating or checking the
     * table and the index), maps Cassandra-only columns in Elasticsearch, and opens the windows.
     */
    public void begin() {
        discardLeftovers();
        bindMetrics();
        cycle.begin();
        PairStores s = stores();
        role.announce();
        cycle.openWindows(s::isEmpty);
        s.cycleBegins();
    }

    /** The two sides, in the order they are read: Cassandra first, then Elasticsearch. */
    public List<String> sides() {
        return Arrays.stream(Side.values()).map(Side::label).toList();
    }

    /**
     * The cycle's changes on one side, one page of records at a time; from where an earlier cycle
     * stood when this one goes on from it, nothing when that one had read the side to its end.
     */
    public Iterator<List<SyncRecord>> changes(String side) {
        Side s = side(side);
        if (cycle.alreadyRead(s)) {
            reading = null;
            return java.util.Collections.emptyIterator();
        }
        String from = cycle.goesOnFrom(s).orElse(null);
        Iterator<List<SyncRecord>> pages;
        try {
            pages = stores().changes(s, from);
        } catch (IllegalArgumentException e) {
            // a position the store no longer reads the window by (its timestamp index created meanwhile, say)
            LOG.warn("pair '{}': the {} side is read from the window's start: {}", settings.pair(), s.label(),
                    e.getMessage());
            from = null;
            pages = stores().changes(s, null);
        }
        reading = pages instanceof Positioned positioned ? positioned : null;
        readingSide = s;
        if (reading != null) {
            cycle.progress().reader(s, reading, from);
        }
        return pages;
    }

    /**
     * Counts a page read; answers its records not already in sync, followed by the other store's
     * copies of the same ids.
     */
    public List<SyncRecord> withCounterparts(List<SyncRecord> page) {
        role.confirm();
        return stores().withCounterparts(cycle.pageRead(page));
    }

    /** Both stores already hold the same version: nothing to write. */
    public void unchanged(@Body SyncRecord copy,
            @ExchangeProperty(NewestWinsAggregationStrategy.REPLACING) SyncRecord otherCopy) {
        cycle.unchanged(copy, otherCopy);
    }

    /** A winner read from Cassandra, to be written to Elasticsearch over the copy it replaces there. */
    public void toElasticsearch(@Body SyncRecord winner,
            @ExchangeProperty(NewestWinsAggregationStrategy.REPLACING) SyncRecord replacing) {
        queue(Side.ELASTICSEARCH, winner, replacing);
    }

    /** A winner read from Elasticsearch, to be written to Cassandra over the copy it replaces there. */
    public void toCassandra(@Body SyncRecord winner,
            @ExchangeProperty(NewestWinsAggregationStrategy.REPLACING) SyncRecord replacing) {
        queue(Side.CASSANDRA, winner, replacing);
    }

    private void queue(Side target, SyncRecord winner, SyncRecord replacing) {
        if (winner == null) {
            throw new IllegalArgumentException("the write step to " + target.label() + " needs a record as the"
                    + " message body; a step before it replaced the record");
        }
        if (winner.side() == target) {
            throw new IllegalArgumentException("record " + winner.id() + " was read from " + target.label()
                    + "; it can only be written to " + target.opposite().label());
        }
        List<PendingWrite> queue = toWrite.get(target);
        synchronized (queue) {
            queue.add(new PendingWrite(winner, replacing));
        }
    }

    /**
     * The end of a page, once the route completed the groups of the ids read on one side only
     * (its step {@code decide-one-sided}): every decision is waited for through the steps after
     * the aggregation, and the page's winners are sent to both stores (the cycle reads the next
     * page while they are written). A long cycle commits its position as it goes: where this page
     * ends in the store's order, once its writes and every earlier page's have landed.
     *
     * @throws IllegalStateException when records still wait in the aggregation: sending the page
     *         then would leave them undecided behind the checkpoint
     */
    public void pageDone() throws InterruptedException {
        writeDecided();
        Positioned r = reading;
        cycle.pageWritten(readingSide, r == null ? null : r.position());
    }

    /** Sends the decided records to both stores, once every decision is through the steps after the aggregation. */
    private void writeDecided() throws InterruptedException {
        int undecided = newestWins.decisions().waiting();
        if (undecided > 0) {
            throw new IllegalStateException(undecided + " records of the page still wait in the newest-wins"
                    + " aggregation for a second copy: the route must complete their groups (the template's step"
                    + " decide-one-sided, decisions.forceCompletionOfAllGroups) before it writes the page");
        }
        newestWins.decisions().awaitArrivals(DECISIONS_TIMEOUT);
        // a deposed leader stops here, before it writes the page
        role.confirm();
        for (Side target : Side.values()) {
            List<PendingWrite> queue = toWrite.get(target);
            List<PendingWrite> page;
            synchronized (queue) {
                page = new ArrayList<>(queue);
                queue.clear();
            }
            if (!page.isEmpty()) {
                stores().write(target, page);
            }
        }
    }

    /**
     * The end of one side: its writes land before the other side is read (and before the commit).
     * Elasticsearch needs no refresh for them: the Elasticsearch side reads what was searchable
     * at the cycle's start (refreshed then), and this daemon's own writes are known versions.
     */
    public void sideDone(String side) throws InterruptedException {
        writeDecided();
        cycle.awaitWrites();
        cycle.sideRead(side(side));
    }

    /** Waits for the writes still in flight, then commits both checkpoints and logs the summary line. */
    public void commit() throws InterruptedException {
        writeDecided();
        cycle.commit();
    }

    /** The cycle failed: nothing is committed; it is retried after the back-off. */
    public void failed(Exception cause) {
        Optional<RuntimeException> deposed = ElectedRole.deposition(cause);
        if (deposed.isPresent()) {
            role.deposed(deposed.get());
            cycle.abandoned(deposed.get().getMessage());
            return;
        }
        storeUnreachable = clients != null && !clients.problems(PROBE_TIMEOUT).isEmpty();
        // a refused password, an untrusted certificate or a missing permission: one line with the fix
        cycle.failed(cause, clients == null ? Optional.empty() : clients.explain(cause, settings.index()));
    }

    // --- for operators and tests ---------------------------------------------------------------------

    /** The summary of the last finished cycle, or null before the first one. */
    public CycleSummary lastCycle() {
        return cycle.lastCycle();
    }

    public CycleSummary totals() {
        return cycle.totals();
    }

    /** Told of what the pair's cycles do as it happens: each one's end, each record written. */
    public void observe(CycleObserver observer) {
        cycle.observe(observer);
    }

    /** Records whose content the pair's readers fetched, both stores, over every cycle since start. */
    public long contentRead() {
        return Arrays.stream(Side.values()).mapToLong(cycle::contentRead).sum();
    }

    /** Why the last cycle failed (the line it logged); empty when it succeeded or none ran yet. */
    public Optional<String> lastFailure() {
        return health.lastFailure();
    }

    /** The pair's name. */
    public String name() {
        return settings.pair();
    }

    /** A comparison of this pair's stores outside its route ({@code verify}, {@code dry-run}). */
    public PairCheck check() {
        return new PairCheck(context, settings, clients, storeFactory, json, readAhead, bulkSenders);
    }

    /** The preflight of this pair ({@code check}): read-only, beside a running daemon. */
    public PairPreflight preflight() {
        return new PairPreflight(context, settings, clients, checkpoints);
    }

    private PairStores stores() {
        PairStores s = stores;
        if (s == null) {
            synchronized (this) {
                if (stores == null) {
                    stores = new PairStores(storeFactory.open(settings, cycle, deadLetters, readAhead, bulkSenders),
                            cycle, readAhead).prepare();
                    cycle.progress().estimator(stores::estimate);
                }
                s = stores;
            }
        }
        return s;
    }

    /** A failed cycle can leave records in the aggregation and writes queued: they are read again. */
    private void discardLeftovers() {
        if (newestWins.decisions().waiting() > 0) {
            decisions.forceDiscardingOfAllGroups();
        }
        newestWins.decisions().reset();
        toWrite.values().forEach(q -> {
            synchronized (q) {
                q.clear();
            }
        });
    }

    private static Side side(String label) {
        return Side.labelled(label).orElseThrow(() -> new IllegalArgumentException("no store named '" + label + "'"));
    }
}

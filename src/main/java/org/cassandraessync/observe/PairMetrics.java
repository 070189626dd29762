package org.cassandraessync.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.health.HealthCheck;
import org.cassandraessync.cycle.CycleObserver;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.ha.PairRole;
import org.cassandraessync.record.Side;

/**
 * One pair's meters, on the registry Camel's Prometheus endpoint serves ({@code /observe/metrics}).
 * Every meter is tagged {@code pair}; per store {@code side} (where records were read, where a
 * checkpoint belongs) or {@code direction} ({@code cassandra_to_elasticsearch},
 * {@code elasticsearch_to_cassandra}). docs/operations.md (Metrics) lists them.
 */
public final class PairMetrics implements CycleObserver, AutoCloseable {

    static final String PREFIX = "cassandra.es.sync.";
    /** Lag buckets: from a change seen within a cycle to one copied by a first reconciliation. */
    private static final Duration[] LAG_BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
        Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1)};

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<Side, Timer> lag = new EnumMap<>(Side.class);
    private final Timer succeeded;
    private final Timer failedCycles;
    private final Counter failedCount;

    private final SyncCycle cycle;
    /** Where the ready gauge's readiness checks run, off the scraping thread. */
    private static final Executor READINESS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sync-ready-gauge");
        t.setDaemon(true);
        return t;
    });

    private PairMetrics(MeterRegistry registry, String pair, SyncCycle cycle, PairHealth health, PairRole role,
            PairReadiness readiness) {
        this.cycle = cycle;
        this.registry = registry;
        if (readiness != null) {
            // the readiness check's last answer: a scrape asks for a new one and never waits for the
            // stores (the check may take 2 s while one hangs); NaN before the first answer
            LastAnswer ready = new LastAnswer(
                    () -> readiness.call().getState() == HealthCheck.State.UP ? 1 : 0, READINESS);
            // strongly held: a gauge keeps only a weak reference to its object, and nothing else holds this one
            add(Gauge.builder(PREFIX + "ready", ready, LastAnswer::read).strongReference(true)
                    .description("1 while the pair is ready (its readiness check is UP), 0 while it is not (NaN: not known yet)")
                    .tags("pair", pair).register(registry));
            add(Gauge.builder(PREFIX + "period", readiness, r -> r.interval().toMillis() / 1000.0).baseUnit("seconds")
                    .description("Time between two of the pair's cycles (sync.period, or the cron's interval)")
                    .tags("pair", pair).register(registry));
        }
        add(Gauge.builder(PREFIX + "leader", role, r -> r.leads() ? 1 : 0)
                .description("1 when this instance runs the pair's cycles (leads it), 0 when it stands by")
                .tags("pair", pair, "instance", role.instance()).register(registry));
        for (Side side : Side.values()) {
            String s = side.label();
            counter("records.read", "Records read from a store (every version seen, including those already in sync)",
                    cycle, c -> c.totals().readFrom(side),
                    pair, "side", s);
            counter("records.written", "Records written to the opposite store", cycle,
                    c -> c.totals().writtenTo(side.opposite()),
                    pair, "direction", direction(side));
            lag.put(side.opposite(), add(Timer.builder(PREFIX + "lag")
                    .description("End-to-end lag of each record written: now minus its last_modified")
                    .serviceLevelObjectives(LAG_BUCKETS).tags("pair", pair, "direction", direction(side))
                    .register(registry)));
            gauge("checkpoint.age", "How far the side's committed checkpoint is behind now", cycle,
                    c -> seconds(c.checkpointAges().get(side)), pair, "side", s, "seconds");
            gauge("cycle.records.read", "Records read so far from the side the running cycle reads", cycle,
                    c -> c.progress().figures(side).read(), pair, "side", s);
            gauge("cycle.records.estimated", "About how many records the running cycle reads from the side (NaN: unknown)",
                    cycle, c -> orNaN(c.progress().figures(side).estimated()), pair, "side", s);
            gauge("cycle.remaining", "Estimated time left reading the side (NaN: unknown)", cycle,
                    c -> orNaN(c.progress().figures(side).etaSeconds()), pair, "side", s, "seconds");
            gauge("cycle.position", "Share (0 to 1) of the side's reading before the position the running cycle"
                    + " reached, as of its last progress line (NaN: unknown)", cycle,
                    c -> c.progress().figures(side).share().orElse(Double.NaN), pair, "side", s, "ratio");
        }
        counter("records.unchanged", "Records read and found in the same version in both stores", cycle,
                c -> c.totals().unchanged(), pair);
        counter("conflicts", "Writes refused because the target changed after it was read (retried next cycle)",
                cycle, c -> c.totals().conflicts(), pair);
        counter("records.rejected", "Records sent to the dead-letter file", cycle, c -> c.totals().rejected(), pair);
        gauge("last.success.age", "Time since the last successful cycle ended (NaN: none yet)", cycle,
                c -> health.lastSuccess().map(t -> seconds(Duration.between(t, java.time.Instant.now()))).orElse(Double.NaN),
                pair, null, null, "seconds");
        succeeded = add(Timer.builder(PREFIX + "cycle.duration").description("Duration of the pair's cycles")
                .tags("pair", pair, "outcome", "success").register(registry));
        failedCycles = add(Timer.builder(PREFIX + "cycle.duration").description("Duration of the pair's cycles")
                .tags("pair", pair, "outcome", "failure").register(registry));
        failedCount = add(Counter.builder(PREFIX + "cycles.failed").description("Cycles that failed (retried after a back-off)")
                .tags("pair", pair).register(registry));
    }

    /** Registers the pair's meters and follows its cycles. */
    public static PairMetrics bind(MeterRegistry registry, String pair, SyncCycle cycle, PairHealth health,
            PairRole role, PairReadiness readiness) {
        PairMetrics metrics = new PairMetrics(registry, pair, cycle, health, role, readiness);
        cycle.observe(metrics);
        return metrics;
    }

    @Override
    public void written(Side target, long lagMillis) {
        lag.get(target).record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void ended(CycleSummary summary) {
        if (summary.failed()) {
            failedCycles.record(summary.millis(), TimeUnit.MILLISECONDS);
            failedCount.increment();
        } else {
            succeeded.record(summary.millis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Removes the pair's meters (the pair's route was removed). */
    @Override
    public void close() {
        cycle.stopObserving(this);
        meters.forEach(registry::remove);
        meters.clear();
    }

    static String direction(Side source) {
        return source.label() + "_to_" + source.opposite().label();
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    private void counter(String name, String help, SyncCycle cycle, ToDoubleFunction<SyncCycle> value, String pair,
            String... tag) {
        FunctionCounter.Builder<SyncCycle> b = FunctionCounter.builder(PREFIX + name, cycle, value).description(help)
                .tag("pair", pair);
        if (tag.length == 2) {
            b.tag(tag[0], tag[1]);
        }
        add(b.register(registry));
    }

    private void gauge(String name, String help, SyncCycle cycle, ToDoubleFunction<SyncCycle> value, String pair,
            String tagKey, String tagValue, String... unit) {
        Gauge.Builder<SyncCycle> b = Gauge.builder(PREFIX + name, cycle, value).description(help).tag("pair", pair);
        if (tagKey != null) {
            b.tag(tagKey, tagValue);
        }
        if (unit.length > 0) {
            b.baseUnit(unit[0]);
        }
        add(b.register(registry));
    }

    private static double seconds(Duration d) {
        return d == null ? Double.NaN : d.toMillis() / 1000.0;
    }

    private static double orNaN(OptionalLong v) {
        return v.isPresent() ? v.getAsLong() : Double.NaN;
    }
}

package org.cassandraessync.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.cassandraessync.bench.BenchResult.Incremental;
import org.cassandraessync.bench.BenchResult.IncrementalRate;
import org.cassandraessync.bench.ChangeLoad.Observation;
import org.cassandraessync.bench.DaemonProcess.Cycle;
import org.cassandraessync.connect.StoreClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental phase: the load at each rate in turn, lowest first, against the same running
 * daemon (as in production: it does not restart between rates), until one falls behind; above
 * it the delays only grow with the backlog, so the higher rates would measure nothing new. Each
 * rate starts once the previous one's changes have all arrived and the machine is quiet.
 */
final class IncrementalPhase {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalPhase.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    private final StoreClients clients;
    private final BenchOptions options;
    private final BenchPair pair;
    private final DaemonProcess daemon;
    private final CpuTimeline daemonCpu;
    private final CpuTimeline jvmCpu;
    private final long seed;

    /** {@code seed}: the set the pair's records were made from (the updates pick among them). */
    IncrementalPhase(StoreClients clients, BenchOptions options, BenchPair pair, DaemonProcess daemon,
            CpuTimeline daemonCpu, CpuTimeline jvmCpu, long seed) {
        this.clients = clients;
        this.options = options;
        this.pair = pair;
        this.daemon = daemon;
        this.daemonCpu = daemonCpu;
        this.jvmCpu = jvmCpu;
        this.seed = seed;
    }

    Incremental run(BenchResult.Raw raw) {
        List<IncrementalRate> rates = new ArrayList<>();
        List<Integer> ascending = options.rates().stream().distinct().sorted().toList();
        for (int k = 0; k < ascending.size(); k++) {
            Machine.settle(options.settleMax());
            // new records of each rate are their own sets: no id is created twice
            IncrementalRate r = rate(ascending.get(k), seed + 1_000 + 10L * k);
            rates.add(r);
            if (!r.keptUp()) {
                LOG.info("Incremental: fell behind at {} changes/s per side; the higher rates are not run",
                        r.ratePerSide());
                break;
            }
        }
        int knee = rates.stream().filter(IncrementalRate::keptUp).mapToInt(IncrementalRate::ratePerSide).max()
                .orElse(0);
        double slower = Math.min(raw.cassandraPerSecond(), raw.elasticsearchPerSecond());
        return new Incremental(options.loadDuration().toSeconds(), options.loadWarmUp().toSeconds(),
                options.period().toMillis(), rates, knee, slower, knee / slower);
    }

    private IncrementalRate rate(int rate, long freshSeed) {
        LOG.info("Incremental: {} changes/s per side for {} s (after {} s of warm-up), sync.period {} ms", rate,
                options.loadDuration().toSeconds(), options.loadWarmUp().toSeconds(), options.period().toMillis());
        long before = lastCycle();
        ChangeLoad load = new ChangeLoad(clients, pair, options.records(), seed, freshSeed, options.sampleEvery());
        ChangeLoad.Outcome out = load.run(rate, options.loadWarmUp().plus(options.loadDuration()), DRAIN_TIMEOUT);
        long allowed = options.period().toMillis() + 2000;
        boolean keptUp = out.missing() == 0 && out.drainMillis() <= allowed;
        if (keptUp) {
            // the cycle after the drain reads the daemon's own last writes back: part of this rate's reads
            daemon.nextCycles(1, Duration.ofSeconds(60).plus(options.period().multipliedBy(3)));
        }
        List<Cycle> cycles = daemon.cycles().stream().filter(c -> c.number() > before).toList();

        long warmUp = options.loadWarmUp().toMillis();
        List<Long> delays = delays(out, warmUp, Long.MAX_VALUE);
        long quarter = options.loadDuration().toMillis() / 4;
        long changes = Math.max(1, out.written());
        long metadata = sum(cycles, c -> c.readCassandra() + c.readElasticsearch());
        boolean reported = !cycles.isEmpty() && cycles.stream().allMatch(Cycle::reportsContentReads);
        long content = reported ? sum(cycles, c -> c.contentReadCassandra() + c.contentReadElasticsearch()) : metadata;
        boolean lookUpsReported = !cycles.isEmpty() && cycles.stream().allMatch(Cycle::reportsLookUps);
        long lookUps = lookUpsReported ? sum(cycles, c -> c.lookedUpElasticsearch() + c.lookedUpCassandra()) : -1;
        long daemonMillis = daemonCpu.between(out.startNanos(), out.drainedNanos());
        long loadMillis = jvmCpu.between(out.startNanos(), out.drainedNanos());
        IncrementalRate result = new IncrementalRate(rate, out.written(), out.loadSeconds(),
                out.written() / 2.0 / Math.max(out.loadSeconds(), 0.001), delays.size(),
                SyncBenchmark.percentile(delays, 0.50), SyncBenchmark.percentile(delays, 0.95),
                SyncBenchmark.percentile(delays, 0.99), SyncBenchmark.percentile(delays, 1.0),
                SyncBenchmark.percentile(delays(out, warmUp, warmUp + quarter), 0.95),
                SyncBenchmark.percentile(delays(out, warmUp + 3 * quarter, Long.MAX_VALUE), 0.95),
                SyncBenchmark.percentile(delays(out, 0, warmUp), 0.99), out.drainMillis(), out.missing(), keptUp,
                cycles.size(), (long) cycles.stream().mapToLong(Cycle::millis).average().orElse(0),
                cycles.stream().mapToLong(Cycle::millis).max().orElse(0), sum(cycles, Cycle::conflicts), metadata,
                content, lookUps, reported, (double) content / changes, (double) metadata / changes,
                lookUpsReported ? (double) lookUps / changes : -1, daemonMillis, (double) daemonMillis / changes,
                loadMillis, (double) loadMillis / changes, out.probeReads(), (double) out.probeReads() / changes);
        LOG.info("Incremental: {}", result);
        return result;
    }

    private long lastCycle() {
        return daemon.cycles().stream().mapToLong(Cycle::number).max().orElse(0);
    }

    private static long sum(List<Cycle> cycles, ToLongFunction<Cycle> count) {
        return cycles.stream().mapToLong(count).sum();
    }

    /** Sorted delays of the changes written between {@code from} and {@code to} ms after the load began. */
    private static List<Long> delays(ChangeLoad.Outcome out, long from, long to) {
        return out.observations().stream().filter(o -> o.writtenAtMillis() >= from && o.writtenAtMillis() < to)
                .map(Observation::delayMillis).sorted().toList();
    }
}

package org.cassandraessync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.cassandraessync.bench.BenchResult.Backfill;
import org.cassandraessync.bench.BenchResult.Idle;
import org.cassandraessync.bench.BenchResult.Incremental;
import org.cassandraessync.bench.BenchResult.Target;
import org.cassandraessync.bench.ChangeLoad.Observation;
import org.cassandraessync.bench.DaemonProcess.Cycle;
import org.cassandraessync.config.StoreClients;
import org.cassandraessync.sandbox.Sandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mvn -Pbench}: the sync measured against the stores' own limits, on the sandbox stores, in
 * one run. The daemon always runs as shipped (the jar, in its own JVM with {@code -Xmx256m}); this
 * JVM writes the data, generates the load and measures.
 * <ol>
 * <li>raw write rates: N records into an empty table (prepared async INSERTs) and into an empty
 * index (bulk), with no sync logic; these tables are then the backfill sources;</li>
 * <li>backfill: the daemon's first start on each (records on one side only), its first cycle's
 * rate against the raw write rate of the target store, and the daemon's heap;</li>
 * <li>incremental: changes written to both stores at a fixed rate, delay until visible on the
 * other side;</li>
 * <li>idle cycle: cycles with nothing to do while the table grows.</li>
 * </ol>
 */
public final class SyncBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(SyncBenchmark.class);
    private static final long SEED = 42;

    private final Sandbox sandbox;
    private final BenchOptions options;
    private final StoreClients clients;
    private final Machine.CpuSampler cpu = new Machine.CpuSampler();
    /** Measured on the idle phase's table once it is at its largest. */
    private BenchResult.Verify verify;

    SyncBenchmark(Sandbox sandbox, BenchOptions options) {
        this.sandbox = sandbox;
        this.options = options;
        BenchPair any = pair("bench_any");
        this.clients = StoreClients.connect(any.settings());
    }

    public static void main(String[] args) {
        BenchOptions options = BenchOptions.fromSystemProperties();
        int status = 0;
        try (Sandbox sandbox = Sandbox.start()) {
            BenchResult result = new SyncBenchmark(sandbox, options).run();
            System.out.println();
            System.out.println(result.table());
            System.out.println("Result file: " + options.output().toAbsolutePath());
        } catch (RuntimeException e) {
            LOG.error("Benchmark failed", e);
            status = 1;
        }
        System.exit(status);
    }

    BenchResult run() {
        try {
            Files.createDirectories(options.workDir());
            warmUp();
            long n = options.records();
            BenchPair fromCassandra = pair("bench_from_cassandra");
            BenchPair fromElasticsearch = pair("bench_from_elasticsearch");
            fromCassandra.create(clients);
            fromElasticsearch.create(clients);

            Machine.settle(options.settleMax());
            LOG.info("Raw Cassandra writes: {} records", n);
            long t0 = System.nanoTime();
            double rawCassandra = RawWriters.cassandra(clients.cassandra(), fromCassandra.table(), n,
                    i -> BenchRecords.record(SEED, i, stamp(i)));
            double cassandraBusy = cpu.busyBetween(t0, System.nanoTime());
            Machine.settle(options.settleMax());
            LOG.info("Raw Elasticsearch writes: {} records", n);
            t0 = System.nanoTime();
            double rawElasticsearch = RawWriters.elasticsearch(clients.elasticsearch(), fromElasticsearch.index(), n,
                    i -> BenchRecords.record(SEED + 100, i, stamp(i)));
            double elasticsearchBusy = cpu.busyBetween(t0, System.nanoTime());
            clients.elasticsearch().indices().refresh(r -> r.index(fromElasticsearch.index()));
            BenchResult.Raw raw = new BenchResult.Raw(n, rawCassandra, rawElasticsearch,
                    "prepared INSERT, async, " + RawWriters.CASSANDRA_IN_FLIGHT + " in flight",
                    "bulk of " + RawWriters.BULK_SIZE + ", " + RawWriters.BULK_IN_FLIGHT + " in flight",
                    cassandraBusy, elasticsearchBusy);

            Backfill toCassandra;
            try (DaemonProcess daemon = startDaemon(fromElasticsearch, "backfill")) {
                toCassandra = backfill(daemon, "Elasticsearch → Cassandra", fromElasticsearch, false, rawCassandra);
            }
            fromElasticsearch.drop(clients);
            Backfill toElasticsearch;
            Incremental incremental;
            // the same daemon goes on with the incremental load: a running daemon, as in production
            try (DaemonProcess daemon = startDaemon(fromCassandra, "backfill-and-incremental")) {
                toElasticsearch = backfill(daemon, "Cassandra → Elasticsearch", fromCassandra, true, rawElasticsearch);
                incremental = incremental(daemon, fromCassandra);
            }
            fromCassandra.drop(clients);
            List<Backfill> backfills = List.of(toElasticsearch, toCassandra);
            List<Idle> idle = idle();
            BenchResult.Pairs pairs = pairs();

            List<Target> targets = targets(backfills, incremental, idle);
            targets.add(new Target(pairs.count() + " pairs in one daemon", "idle CPU ≤ " + pairs.count()
                    + " × one pair's", String.format(Locale.ROOT, "%.2f × per pair", pairs.perPairRatio()),
                    pairs.perPairRatio() <= 1.0, ""));
            if (verify != null) {
                long size = idle.get(idle.size() - 1).records();
                targets.add(new Target("verify", BenchResult.n(size) + " records per side within -Xmx" + options.daemonHeap(),
                        String.format(Locale.ROOT, "%.0f s, peak heap %d MB, exit %d", verify.seconds(),
                                verify.heapPeakMb(), verify.exitCode()), verify.succeeded(size), ""));
            }
            BenchResult result = new BenchResult(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    Machine.describe(sandbox), options, raw, backfills, incremental, idle, pairs, verify, targets);
            write(result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            cpu.close();
            clients.stop();
        }
    }

    /** JIT and connection warm-up for this JVM's writers, so the first measurement is not penalised. */
    private void warmUp() {
        BenchPair scratch = pair("bench_warmup");
        scratch.create(clients);
        long n = Math.min(20_000, options.records());
        RawWriters.cassandra(clients.cassandra(), scratch.table(), n, i -> BenchRecords.record(7, i, stamp(i)));
        RawWriters.elasticsearch(clients.elasticsearch(), scratch.index(), n, i -> BenchRecords.record(7, i, stamp(i)));
        scratch.drop(clients);
    }

    private DaemonProcess startDaemon(BenchPair pair, String phase) {
        Machine.settle(options.settleMax());
        return DaemonProcess.start(options, pair.daemonProperties(options.period()),
                options.workDir().resolve(pair.name() + "-" + phase));
    }

    /** The daemon's first cycle on a pair with records on one side only. */
    private Backfill backfill(DaemonProcess daemon, String direction, BenchPair pair, boolean fromCassandra,
            double targetRaw) {
        long n = options.records();
        LOG.info("Backfill {}: {} records, daemon -Xmx{}", direction, n, options.daemonHeap());
        Duration timeout = Duration.ofSeconds(180 + n / 500);
        Cycle first = daemon.awaitCycle("a finished backfill cycle", c -> true, timeout);
        double busy = cpu.busyBetween(first.seenAtNanos() - first.millis() * 1_000_000, first.seenAtNanos());
        DaemonProcess.Heap heap = daemon.heap();
        long copied = fromCassandra ? first.writtenElasticsearch() : first.writtenCassandra();
        long inTarget = fromCassandra ? pair.countElasticsearch(clients) : pair.countCassandra(clients);
        double seconds = first.millis() / 1000.0;
        double rate = copied / Math.max(seconds, 0.001);
        List<String> failures = daemon.failures();
        LOG.info("Backfill {}: {} copied in {} s ({} records/s), {} in the target", direction, copied, seconds,
                (long) rate, inTarget);
        return new Backfill(direction, n, copied, inTarget, seconds, rate, targetRaw, rate / targetRaw, busy,
                options.daemonHeap(), heap.peakMb(), heap.maxAfterGcMb(), heap.collections(), failures,
                failures.isEmpty() && copied == n && inTarget == n);
    }

    /** On the Cassandra-born pair, now in sync: the load runs against the daemon that backfilled it. */
    private Incremental incremental(DaemonProcess daemon, BenchPair pair) {
        Machine.settle(options.settleMax());
        LOG.info("Incremental: {} changes/s per side for {} s (after {} s of warm-up), sync.period {} ms",
                options.rate(), options.loadDuration().toSeconds(), options.loadWarmUp().toSeconds(),
                options.period().toMillis());
        long before = daemon.cycles().stream().mapToLong(Cycle::number).max().orElse(0);
        ChangeLoad load = new ChangeLoad(clients, pair, options.records(), SEED, options.sampleEvery());
        ChangeLoad.Outcome out = load.run(options.rate(), options.loadWarmUp().plus(options.loadDuration()),
                Duration.ofSeconds(120));
        List<Cycle> during = daemon.cycles().stream().filter(c -> c.number() > before).toList();
        long warmUp = options.loadWarmUp().toMillis();
        List<Long> delays = delays(out, warmUp, Long.MAX_VALUE);
        long quarter = options.loadDuration().toMillis() / 4;
        long firstQuarter = percentile(delays(out, warmUp, warmUp + quarter), 0.95);
        long lastQuarter = percentile(delays(out, warmUp + 3 * quarter, Long.MAX_VALUE), 0.95);
        long warmUpP99 = percentile(delays(out, 0, warmUp), 0.99);
        long allowed = options.period().toMillis() + 2000;
        boolean keptUp = out.missing() == 0 && out.drainMillis() <= allowed;
        Incremental result = new Incremental(options.rate(), options.loadDuration().toSeconds(),
                options.period().toMillis(), out.written(), delays.size(), percentile(delays, 0.50),
                percentile(delays, 0.95), percentile(delays, 0.99), percentile(delays, 1.0), firstQuarter,
                lastQuarter, out.drainMillis(), out.missing(), during.size(),
                (long) during.stream().mapToLong(Cycle::millis).average().orElse(0),
                during.stream().mapToLong(Cycle::millis).max().orElse(0),
                during.stream().mapToLong(Cycle::conflicts).sum(), keptUp, options.loadWarmUp().toSeconds(),
                warmUpP99);
        LOG.info("Incremental: {}", result);
        return result;
    }

    /**
     * The idle cycle while the table grows: records are added to both stores identically and with
     * an old last_modified (as a table that is large but quiet), and the cycles that follow have
     * nothing to do.
     */
    private List<Idle> idle() {
        BenchPair pair = pair("bench_idle");
        pair.create(clients);
        Instant old = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
        List<Idle> results = new ArrayList<>();
        DaemonProcess daemon = null;
        try {
            long have = 0;
            long initial = 0;
            for (long size : options.idleSizes()) {
                long from = have;
                LOG.info("Idle: growing the table to {} records on both sides", size);
                CompletableFuture<Double> c = CompletableFuture.supplyAsync(() -> RawWriters.cassandra(
                        clients.cassandra(), pair.table(), size - from, i -> BenchRecords.record(SEED + 200, from + i, old)));
                RawWriters.elasticsearch(clients.elasticsearch(), pair.index(), size - from,
                        i -> BenchRecords.record(SEED + 200, from + i, old));
                c.join();
                clients.elasticsearch().indices().refresh(r -> r.index(pair.index()));
                have = size;
                if (daemon == null) {
                    daemon = DaemonProcess.start(options,
                            pair.daemonProperties(options.period()), options.workDir().resolve("bench_idle"));
                    initial = daemon.awaitCycle("the first (full) cycle", x -> true,
                            Duration.ofSeconds(120 + size / 500)).millis();
                }
                Machine.settle(options.settleMax());
                List<Cycle> cycles = daemon.nextCycles(options.idleCycles(),
                        Duration.ofSeconds(60).plus(options.period().multipliedBy(options.idleCycles() * 3L)));
                if (cycles.stream().anyMatch(x -> !x.idle())) {
                    throw new IllegalStateException("an idle cycle read records: " + cycles);
                }
                List<Long> millis = cycles.stream().map(Cycle::millis).sorted().toList();
                Idle idle = new Idle(size, millis.size(), percentile(millis, 0.5), percentile(millis, 0.95),
                        percentile(millis, 1.0), initial);
                LOG.info("Idle: {}", idle);
                results.add(idle);
            }
            daemon.close();
            daemon = null;
            verify = verify(pair, have);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (daemon != null) {
                daemon.close();
            }
            pair.drop(clients);
        }
        return results;
    }

    /** {@code verify} (the jar's command, same heap as the daemon) over a pair in sync, and raw full scans. */
    private BenchResult.Verify verify(BenchPair pair, long records) throws IOException {
        Machine.settle(options.settleMax());
        LOG.info("verify: raw full scans of {} records per side", records);
        double rawCassandra = RawReaders.cassandra(clients.cassandra(), pair.table());
        double rawElasticsearch = RawReaders.elasticsearch(clients.elasticsearch(), pair.index());
        Machine.settle(options.settleMax());
        LOG.info("verify: {} records per side, -Xmx{}", records, options.daemonHeap());
        DaemonProcess run = DaemonProcess.start(options, pair.daemonProperties(options.period()),
                options.workDir().resolve(pair.name() + "-verify"), "verify");
        int exit = run.awaitExit(Duration.ofSeconds(600 + records / 200));
        String output = Files.readString(run.log());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pair \\S+: (\\d+) records read in Cassandra,"
                + " (\\d+) in Elasticsearch, in ([\\d.]+) s").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("verify printed no summary (exit " + exit + "): " + output);
        }
        long c = Long.parseLong(m.group(1));
        long e = Long.parseLong(m.group(2));
        double seconds = Double.parseDouble(m.group(3));
        DaemonProcess.Heap heap = run.heap();
        double rawSeconds = c / rawCassandra + e / rawElasticsearch;
        String summary = output.substring(m.start()).lines().limit(10).reduce("", (a, b) -> a + b + "\n");
        BenchResult.Verify v = new BenchResult.Verify(c, e, seconds, (c + e) / Math.max(seconds, 0.001), rawCassandra,
                rawElasticsearch, rawSeconds / Math.max(seconds, 0.001), options.daemonHeap(), heap.peakMb(),
                heap.maxAfterGcMb(), exit, summary);
        LOG.info("verify: {}", v);
        return v;
    }

    /**
     * The idle cost of pairs: quiet tables (records already in sync, old last_modified) synced by a
     * daemon with one pair, then by one daemon with all of them; the daemon's CPU time over the
     * same window, once every pair has finished its first cycle and the machine is quiet.
     */
    private BenchResult.Pairs pairs() {
        List<BenchPair> pairs = new ArrayList<>();
        for (int i = 0; i < options.pairs(); i++) {
            pairs.add(pair("bench_pairs_" + i));
        }
        Instant old = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
        try {
            for (BenchPair p : pairs) {
                p.create(clients);
                RawWriters.cassandra(clients.cassandra(), p.table(), options.pairRecords(),
                        i -> BenchRecords.record(SEED + 300, i, old));
                RawWriters.elasticsearch(clients.elasticsearch(), p.index(), options.pairRecords(),
                        i -> BenchRecords.record(SEED + 300, i, old));
            }
            long[] one = quiet(pairs.subList(0, 1), "pairs-1");
            long[] many = quiet(pairs, "pairs-" + pairs.size());
            double window = options.pairsWindow().toMillis() / 1000.0;
            BenchResult.Pairs result = new BenchResult.Pairs(pairs.size(), options.pairRecords(), window,
                    one[0] / (window * 10.0), many[0] / (window * 10.0), one[1], many[1], (int) one[2], (int) many[2]);
            LOG.info("Pairs: {}", result);
            return result;
        } finally {
            pairs.forEach(p -> p.drop(clients));
        }
    }

    /** Daemon CPU milliseconds over the window, median idle cycle milliseconds per pair, cycles. */
    private long[] quiet(List<BenchPair> pairs, String run) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(pairs.get(0).daemonProperties(options.period()));
        for (BenchPair p : pairs) {
            String key = "camel.route-template[" + p.name() + "].";
            properties.put(key + "template-id", "cassandra-es-sync");
            properties.put(key + "pair", p.name());
            properties.put(key + "keyspace", p.name());
            properties.put(key + "table", "records");
            properties.put(key + "index", p.index());
        }
        try (DaemonProcess daemon = DaemonProcess.start(options, properties, options.workDir().resolve(run))) {
            for (BenchPair p : pairs) {
                daemon.awaitCycle("the first cycle of " + p.name(), c -> c.pair().equals(p.name()),
                        Duration.ofSeconds(180));
            }
            Machine.settle(options.settleMax());
            int seen = daemon.cycles().size();
            long cpu = daemon.cpuMillis();
            DaemonProcess.pause(options.pairsWindow().toMillis());
            cpu = daemon.cpuMillis() - cpu;
            // one snapshot: the daemon may log another cycle between two calls
            List<Cycle> all = daemon.cycles();
            List<Cycle> during = all.subList(seen, all.size());
            if (during.stream().anyMatch(c -> !c.idle())) {
                throw new IllegalStateException("a quiet pair's cycle read records: " + during);
            }
            List<Long> millis = during.stream().map(Cycle::millis).sorted().toList();
            return new long[] {cpu, percentile(millis, 0.5), during.size()};
        }
    }

    private List<Target> targets(List<Backfill> backfills, Incremental inc, List<Idle> idle) {
        List<Target> targets = new ArrayList<>();
        for (Backfill b : backfills) {
            boolean met = b.ratio() >= 0.8 && b.succeeded();
            String why = met ? "" : String.format(Locale.ROOT, "%.0f points short; the machine was %.0f%% busy:"
                    + " CPU-bound, the daemon and both stores share its cores, the raw writer had them for one store"
                    + " (README, Performance)", 80 - b.ratio() * 100, b.machineBusy() * 100);
            targets.add(new Target("Backfill " + b.direction(), "≥ 80% of the target's raw write rate",
                    String.format(Locale.ROOT, "%.0f%%", b.ratio() * 100), met, why));
        }
        long allowed = inc.periodMillis() + 2000;
        targets.add(new Target("Incremental at " + inc.ratePerSide() + "/s per side",
                "p99 ≤ period + 2 s = " + BenchResult.s(allowed) + " s, no backlog",
                "p99 " + BenchResult.s(inc.p99Millis()) + " s, " + (inc.keptUp() ? "kept up" : "fell behind"),
                inc.p99Millis() <= allowed && inc.keptUp(), inc.p99Millis() <= allowed && inc.keptUp() ? ""
                        : String.format(Locale.ROOT, "%s s over; cycles took %d ms on average, %d ms at most, for a"
                                + " period of %d ms", BenchResult.s(Math.max(0, inc.p99Millis() - allowed)),
                                inc.cycleMeanMillis(), inc.cycleMaxMillis(), inc.periodMillis())));
        Idle smallest = idle.get(0);
        Idle largest = idle.get(idle.size() - 1);
        boolean atMillion = largest.records() >= 1_000_000;
        targets.add(new Target("Idle cycle", "≤ 50 ms at 1M records and ≤ 2× the " + BenchResult.n(smallest.records())
                + " figure", String.format(Locale.ROOT, "%d ms at %s, %d ms at %s", largest.medianMillis(),
                        BenchResult.n(largest.records()), smallest.medianMillis(), BenchResult.n(smallest.records())),
                atMillion && largest.medianMillis() <= 50
                        && largest.medianMillis() <= 2 * Math.max(smallest.medianMillis(), 1),
                atMillion ? "medians" : "not measured at 1M records"));
        boolean million = options.records() >= 1_000_000;
        boolean allSucceeded = backfills.stream().allMatch(Backfill::succeeded);
        targets.add(new Target("Memory", "backfill of 1M records succeeds with -Xmx256m",
                BenchResult.n(options.records()) + " records each way with -Xmx" + options.daemonHeap() + ": "
                        + (allSucceeded ? "succeeded" : "failed") + ", peak " + backfills.stream()
                                .mapToLong(Backfill::heapPeakMb).max().orElse(0) + " MB",
                million && allSucceeded && options.daemonHeap().equals("256m"),
                million ? "" : "run with -Dbench.records=1000000 for the 1M figure"));
        return targets;
    }

    private void write(BenchResult result) throws IOException {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(options.output().toAbsolutePath().getParent());
        json.writeValue(options.output().toFile(), result);
        Files.writeString(options.output().resolveSibling("result.md"), result.table());
    }

    private BenchPair pair(String name) {
        return new BenchPair(name, sandbox.connectionProperties(), options.workDir().toAbsolutePath());
    }

    /** Distinct, increasing last_modified values a little in the past, one millisecond apart per 10 records. */
    private final Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);

    private Instant stamp(long n) {
        return base.plusMillis(n / 10);
    }

    /** Sorted delays of the changes written between {@code from} and {@code to} ms after the load began. */
    private static List<Long> delays(ChangeLoad.Outcome out, long from, long to) {
        return out.observations().stream().filter(o -> o.writtenAtMillis() >= from && o.writtenAtMillis() < to)
                .map(Observation::delayMillis).sorted().toList();
    }

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

}

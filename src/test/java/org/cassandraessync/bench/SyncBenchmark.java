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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.cassandraessync.bench.BenchResult.Backfill;
import org.cassandraessync.bench.BenchResult.Idle;
import org.cassandraessync.bench.BenchResult.Incremental;
import org.cassandraessync.bench.BenchResult.RawCopy;
import org.cassandraessync.bench.BenchResult.Target;
import org.cassandraessync.bench.DaemonProcess.Cycle;
import org.cassandraessync.connect.StoreClients;
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
 * <li>raw copy rates: each source copied into a scratch index or table of the other store by this
 * JVM, no sync logic ({@link RawCopiers}), and this JVM's CPU per record;</li>
 * <li>backfill: the daemon's first start on each (records on one side only), its first cycle's
 * rate against the raw copy of the same direction and the raw write rate of the target store,
 * the daemon's CPU per record and its heap;</li>
 * <li>incremental: changes written to both stores at each rate in turn ({@link IncrementalPhase}),
 * delay until visible on the other side, reads and CPU per change, the highest rate kept up;</li>
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
    /** This JVM's own CPU time: the raw copiers' and the load generator's cost. */
    private final CpuTimeline jvmCpu = CpuTimeline.ofThisJvm();
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
            List<RawCopy> copies = rawCopies(fromCassandra, fromElasticsearch);
            RawCopy copyToElasticsearch = copies.get(0);
            RawCopy copyToCassandra = copies.get(1);

            Backfill toCassandra;
            try (DaemonProcess daemon = startDaemon(fromElasticsearch, "backfill");
                    CpuTimeline daemonCpu = CpuTimeline.of(daemon)) {
                toCassandra = backfill(daemon, daemonCpu, "Elasticsearch → Cassandra", fromElasticsearch, false,
                        rawCassandra, copyToCassandra);
            }
            fromElasticsearch.drop(clients);
            Backfill toElasticsearch;
            Incremental incremental;
            // the same daemon goes on with the incremental load: a running daemon, as in production
            try (DaemonProcess daemon = startDaemon(fromCassandra, "backfill-and-incremental");
                    CpuTimeline daemonCpu = CpuTimeline.of(daemon)) {
                toElasticsearch = backfill(daemon, daemonCpu, "Cassandra → Elasticsearch", fromCassandra, true,
                        rawElasticsearch, copyToElasticsearch);
                incremental = new IncrementalPhase(clients, options, fromCassandra, daemon, daemonCpu, jvmCpu, SEED)
                        .run(raw);
            }
            fromCassandra.drop(clients);
            List<Backfill> backfills = List.of(toElasticsearch, toCassandra);
            List<Idle> idle = idle();
            BenchResult.Pairs pairs = pairs();

            List<Target> targets = Targets.of(options, backfills, incremental, idle, pairs, verify);
            BenchResult result = new BenchResult(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    Machine.describe(sandbox), options, raw, copies, backfills, incremental, idle, pairs, verify,
                    targets);
            write(result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            cpu.close();
            jvmCpu.close();
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
        try {
            clients.elasticsearch().indices().refresh(r -> r.index(scratch.index()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the copiers' own code paths too (each side onto itself: the same records, overwritten)
        RawCopiers.cassandraToElasticsearch(clients.cassandra(), scratch.table(), clients.elasticsearch(),
                scratch.index());
        RawCopiers.elasticsearchToCassandra(clients.elasticsearch(), scratch.index(), clients.cassandra(),
                scratch.table());
        scratch.drop(clients);
    }

    private DaemonProcess startDaemon(BenchPair pair, String phase) {
        Machine.settle(options.settleMax());
        return DaemonProcess.start(options, pair.daemonProperties(options.period()),
                options.workDir().resolve(pair.name() + "-" + phase));
    }

    /**
     * The physical limit of each backfill: the backfill sources, just written, copied into a
     * scratch index and table by this JVM with no sync logic. The copies read the sources before
     * the daemon does, so the daemon finds the stores' caches as warm as the copier left them.
     */
    private List<RawCopy> rawCopies(BenchPair fromCassandra, BenchPair fromElasticsearch) {
        BenchPair scratch = pair("bench_raw_copy");
        scratch.create(clients);
        try {
            RawCopy toElasticsearch = rawCopy("Cassandra → Elasticsearch", RawCopiers.CASSANDRA_TO_ELASTICSEARCH,
                    () -> RawCopiers.cassandraToElasticsearch(clients.cassandra(), fromCassandra.table(),
                            clients.elasticsearch(), scratch.index()));
            RawCopy toCassandra = rawCopy("Elasticsearch → Cassandra", RawCopiers.ELASTICSEARCH_TO_CASSANDRA,
                    () -> RawCopiers.elasticsearchToCassandra(clients.elasticsearch(), fromElasticsearch.index(),
                            clients.cassandra(), scratch.table()));
            return List.of(toElasticsearch, toCassandra);
        } finally {
            scratch.drop(clients);
        }
    }

    private RawCopy rawCopy(String direction, String method, LongSupplier copy) {
        Machine.settle(options.settleMax());
        LOG.info("Raw copy {}: {} records", direction, options.records());
        long t0 = System.nanoTime();
        long copied = copy.getAsLong();
        long t1 = System.nanoTime();
        long cpuMillis = jvmCpu.between(t0, t1);
        double seconds = (t1 - t0) / 1e9;
        RawCopy result = new RawCopy(direction, method, options.records(), copied, seconds,
                copied / Math.max(seconds, 0.001), cpuMillis, (double) cpuMillis / Math.max(copied, 1),
                cpu.busyBetween(t0, t1));
        LOG.info("Raw copy: {}", result);
        return result;
    }

    /** The daemon's first cycle on a pair with records on one side only. */
    private Backfill backfill(DaemonProcess daemon, CpuTimeline daemonCpu, String direction, BenchPair pair,
            boolean fromCassandra, double targetRaw, RawCopy copy) {
        long n = options.records();
        LOG.info("Backfill {}: {} records, daemon -Xmx{}", direction, n, options.daemonHeap());
        Duration timeout = Duration.ofSeconds(180 + n / 500);
        Cycle first = daemon.awaitCycle("a finished backfill cycle", c -> true, timeout);
        long cycleStart = first.seenAtNanos() - first.millis() * 1_000_000;
        double busy = cpu.busyBetween(cycleStart, first.seenAtNanos());
        long cpuMillis = daemonCpu.between(cycleStart, first.seenAtNanos());
        DaemonProcess.Heap heap = daemon.heap();
        long copied = fromCassandra ? first.writtenElasticsearch() : first.writtenCassandra();
        long inTarget = fromCassandra ? pair.countElasticsearch(clients) : pair.countCassandra(clients);
        double seconds = first.millis() / 1000.0;
        double rate = copied / Math.max(seconds, 0.001);
        List<String> failures = daemon.failures();
        LOG.info("Backfill {}: {} copied in {} s ({} records/s), {} in the target; daemon CPU {} ms", direction, copied,
                seconds, (long) rate, inTarget, cpuMillis);
        return new Backfill(direction, n, copied, inTarget, seconds, rate, targetRaw, rate / targetRaw,
                copy.perSecond(), rate / copy.perSecond(), cpuMillis, (double) cpuMillis / Math.max(copied, 1),
                copy.cpuMillisPerRecord(), busy, options.daemonHeap(), heap.peakMb(), heap.maxAfterGcMb(),
                heap.collections(), failures, failures.isEmpty() && copied == n && inTarget == n);
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

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

}

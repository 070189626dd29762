package org.cassandraessync.bench;

import java.util.List;
import java.util.Locale;

/** Everything one benchmark run measured; written as JSON and printed as a Markdown table. */
record BenchResult(
        String date,
        Machine machine,
        BenchOptions options,
        Raw raw,
        List<Backfill> backfill,
        Incremental incremental,
        List<Idle> idle,
        Pairs pairs,
        Verify verify,
        List<Target> targets) {

    record Machine(String cpu, int cores, long memoryMb, String os, String java, String cassandra,
            String elasticsearch) {
    }

    record Raw(long records, double cassandraPerSecond, double elasticsearchPerSecond, String cassandraMethod,
            String elasticsearchMethod, double cassandraMachineBusy, double elasticsearchMachineBusy) {
    }

    record Backfill(String direction, long records, long copied, long inTarget, double seconds, double perSecond,
            double targetRawPerSecond, double ratio, double machineBusy, String daemonHeap, long heapPeakMb, long heapMaxAfterGcMb,
            int gcCount, List<String> failures, boolean succeeded) {
    }

    record Incremental(int ratePerSide, long seconds, long periodMillis, long changes, int samples, long p50Millis,
            long p95Millis, long p99Millis, long maxMillis, long firstQuarterP95Millis, long lastQuarterP95Millis,
            long drainMillis, long missing, int cycles, long cycleMeanMillis, long cycleMaxMillis, long conflicts,
            boolean keptUp, long warmUpSeconds, long warmUpP99Millis) {
    }

    record Idle(long records, int cycles, long medianMillis, long p95Millis, long maxMillis, long initialCycleMillis) {
    }

    /** The idle cost of one quiet pair in a daemon, and of {@code count} quiet pairs in one daemon. */
    record Pairs(int count, long recordsPerPair, double windowSeconds, double oneCpuPercent, double manyCpuPercent,
            long oneMedianCycleMillis, long manyMedianCycleMillis, int oneCycles, int manyCycles) {

        double perPairRatio() {
            return manyCpuPercent / (oneCpuPercent * count);
        }
    }

    /** {@code verify} over a pair in sync, against full scans of each store by the client libraries alone. */
    record Verify(long cassandraRecords, long elasticsearchRecords, double seconds, double perSecond,
            double rawCassandraScanPerSecond, double rawElasticsearchScanPerSecond, double ratio, String heap,
            long heapPeakMb, long heapMaxAfterGcMb, int exitCode, String summary) {

        boolean succeeded(long expected) {
            return exitCode == 0 && cassandraRecords == expected && elasticsearchRecords == expected;
        }
    }

    record Target(String name, String target, String measured, boolean met, String note) {
    }

    /** The result as the Markdown table the README's Performance section shows. */
    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Run %s on %d cores (%s), %,d MB RAM, %s; Cassandra %s, Elasticsearch %s;"
                + " daemon -Xmx%s, sync.period %d ms%n%n", date, machine.cores(), machine.cpu(), machine.memoryMb(),
                machine.java(), machine.cassandra(), machine.elasticsearch(), options.daemonHeap(),
                options.period().toMillis()));
        t.append("| Measure | Result |\n|---|---|\n");
        row(t, "Raw Cassandra writes (" + raw.cassandraMethod() + "), " + n(raw.records()) + " records",
                n(raw.cassandraPerSecond()) + String.format(Locale.ROOT, " records/s; machine %.0f%% busy",
                        raw.cassandraMachineBusy() * 100));
        row(t, "Raw Elasticsearch writes (" + raw.elasticsearchMethod() + "), " + n(raw.records()) + " records",
                n(raw.elasticsearchPerSecond()) + String.format(Locale.ROOT, " records/s; machine %.0f%% busy",
                        raw.elasticsearchMachineBusy() * 100));
        for (Backfill b : backfill) {
            row(t, "Backfill " + b.direction() + ", " + n(b.records()) + " records (first cycle)",
                    String.format(Locale.ROOT, "%s records/s in %.1f s = %.0f%% of the raw write rate; %s copied;"
                            + " machine %.0f%% busy", n(b.perSecond()), b.seconds(), b.ratio() * 100, n(b.copied()),
                            b.machineBusy() * 100));
            row(t, "Daemon heap during that backfill (-Xmx" + b.daemonHeap() + ")",
                    String.format(Locale.ROOT, "peak %d MB in use, at most %d MB left after a collection; %s", b.heapPeakMb(),
                            b.heapMaxAfterGcMb(), b.succeeded() ? "succeeded" : "FAILED " + b.failures()));
        }
        if (incremental != null) {
            Incremental i = incremental;
            row(t, String.format(Locale.ROOT, "Incremental: %s changes/s per side for %d s after %d s of warm-up,"
                    + " delay until visible on the other side (%d samples; warm-up p99 %s s)", n(i.ratePerSide()),
                    i.seconds(), i.warmUpSeconds(), i.samples(), s(i.warmUpP99Millis())),
                    String.format(Locale.ROOT, "p50 %s s, p95 %s s, p99 %s s, max %s s", s(i.p50Millis()),
                            s(i.p95Millis()), s(i.p99Millis()), s(i.maxMillis())));
            row(t, "Incremental: backlog", String.format(Locale.ROOT,
                    "%s: p95 %s s in the first quarter, %s s in the last; all %s changes arrived %s s after the load"
                            + " stopped (%d missing); cycles mean %d ms, max %d ms",
                    i.keptUp() ? "kept up" : "fell behind", s(i.firstQuarterP95Millis()),
                    s(i.lastQuarterP95Millis()), n(i.changes()), s(i.drainMillis()), i.missing(),
                    i.cycleMeanMillis(), i.cycleMaxMillis()));
        }
        for (Idle i : idle) {
            row(t, "Idle cycle (no changes) at " + n(i.records()) + " records",
                    String.format(Locale.ROOT, "median %d ms, p95 %d ms, max %d ms (%d cycles)", i.medianMillis(),
                            i.p95Millis(), i.maxMillis(), i.cycles()));
        }
        if (pairs != null) {
            row(t, String.format(Locale.ROOT, "Idle daemon CPU, 1 pair vs %d pairs in one daemon (%s records each,"
                    + " %.0f s each)", pairs.count(), n(pairs.recordsPerPair()), pairs.windowSeconds()),
                    String.format(Locale.ROOT, "%.2f%% vs %.2f%% of one core = %.2f × one pair per pair; median"
                            + " cycle %d ms vs %d ms per pair (%d vs %d cycles)", pairs.oneCpuPercent(),
                            pairs.manyCpuPercent(), pairs.perPairRatio(), pairs.oneMedianCycleMillis(),
                            pairs.manyMedianCycleMillis(), pairs.oneCycles(), pairs.manyCycles()));
        }
        if (verify != null) {
            Verify v = verify;
            row(t, String.format(Locale.ROOT, "verify, %s + %s records in sync (-Xmx%s)", n(v.cassandraRecords()),
                    n(v.elasticsearchRecords()), v.heap()), String.format(Locale.ROOT, "%.1f s = %s records/s; a raw"
                    + " full scan of each store alone reads %s (Cassandra) and %s (Elasticsearch) records/s, both in"
                    + " %.1f s = %.0f%% of verify's time; heap peak %d MB, at most %d MB after a collection; exit %d",
                    v.seconds(), n(v.perSecond()), n(v.rawCassandraScanPerSecond()),
                    n(v.rawElasticsearchScanPerSecond()), v.seconds() * v.ratio(), v.ratio() * 100, v.heapPeakMb(),
                    v.heapMaxAfterGcMb(), v.exitCode()));
        }
        t.append("\n| Target | Measured | Met |\n|---|---|---|\n");
        for (Target g : targets) {
            t.append("| ").append(g.name()).append(": ").append(g.target()).append(" | ").append(g.measured())
                    .append(g.note().isEmpty() ? "" : " (" + g.note() + ")").append(" | ")
                    .append(g.met() ? "yes" : "**no**").append(" |\n");
        }
        return t.toString();
    }

    private static void row(StringBuilder t, String measure, String result) {
        t.append("| ").append(measure).append(" | ").append(result).append(" |\n");
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String s(long millis) {
        return String.format(Locale.ROOT, "%.2f", millis / 1000.0);
    }
}

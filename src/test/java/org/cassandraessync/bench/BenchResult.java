package org.cassandraessync.bench;

import java.util.List;
import java.util.Locale;

/** Everything one benchmark run measured; written as JSON and printed as a Markdown table. */
record BenchResult(
        String date,
        Machine machine,
        BenchOptions options,
        Raw raw,
        List<RawCopy> rawCopy,
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

    /**
     * The physical limit of a copy: every record of one backfill source read and written into a
     * scratch table or index of the other store by this JVM, no sync logic ({@link RawCopiers}).
     */
    record RawCopy(String direction, String method, long records, long copied, double seconds, double perSecond,
            long cpuMillis, double cpuMillisPerRecord, double machineBusy) {
    }

    /**
     * The daemon's first cycle on a pair with records on one side only: its rate as a share of the
     * raw copy of the same direction ({@code copyRatio}) and of the target's raw write rate
     * ({@code ratio}); the daemon's CPU over that cycle per record copied, beside the raw copier's.
     */
    record Backfill(String direction, long records, long copied, long inTarget, double seconds, double perSecond,
            double targetRawPerSecond, double ratio, double rawCopyPerSecond, double copyRatio, long daemonCpuMillis,
            double cpuMillisPerRecord, double rawCopyCpuMillisPerRecord, double machineBusy, String daemonHeap,
            long heapPeakMb, long heapMaxAfterGcMb, int gcCount, List<String> failures, boolean succeeded) {
    }

    /**
     * The incremental phase: one rate after the other against the same running daemon, up to the
     * first that fell behind. The knee is the highest rate that kept up (0 when none did), also as a
     * share of the slower store's raw write rate of this run.
     */
    record Incremental(long seconds, long warmUpSeconds, long periodMillis, List<IncrementalRate> rates,
            int kneePerSide, double slowerRawWritePerSecond, double kneeShare) {

        java.util.Optional<IncrementalRate> atKnee() {
            return rates.stream().filter(r -> r.keptUp() && r.ratePerSide() == kneePerSide).findFirst();
        }

        java.util.Optional<IncrementalRate> at(int ratePerSide) {
            return rates.stream().filter(r -> r.ratePerSide() == ratePerSide).findFirst();
        }
    }

    /**
     * One rate of the incremental phase. Delays are those of the measured part (the warm-up's p99
     * apart). Per change means per change the load wrote, both sides together, warm-up included;
     * the cycles counted are those that ran from the load's start until the daemon had read its
     * own last writes back. {@code contentReads} are the records whose content the change readers
     * fetched; when the daemon did not report them ({@code contentReadsReported} false), read
     * amplification is counted from all reads (the metadata reads). {@code lookUps} is -1 then.
     */
    record IncrementalRate(int ratePerSide, long changes, double loadSeconds, double achievedPerSecondPerSide,
            int samples, long p50Millis, long p95Millis, long p99Millis, long maxMillis, long firstQuarterP95Millis,
            long lastQuarterP95Millis, long warmUpP99Millis, long drainMillis, long missing, boolean keptUp,
            int cycles, long cycleMeanMillis, long cycleMaxMillis, long conflicts, long metadataReads,
            long contentReads, long lookUps, boolean contentReadsReported, double readAmplification,
            double metadataReadsPerChange, double lookUpsPerChange, long daemonCpuMillis,
            double daemonCpuMillisPerChange, long loadCpuMillis, double loadCpuMillisPerChange, long probeReads,
            double probeReadsPerChange) {
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

    /** The result as the Markdown table docs/performance.md shows. */
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
        for (RawCopy c : rawCopy) {
            row(t, "Raw copy " + c.direction() + " (" + c.method() + "), " + n(c.records()) + " records",
                    String.format(Locale.ROOT, "%s records/s in %.1f s; benchmark JVM CPU %s ms per record; %s copied;"
                            + " machine %.0f%% busy", n(c.perSecond()), c.seconds(), ms(c.cpuMillisPerRecord()),
                            n(c.copied()), c.machineBusy() * 100));
        }
        for (Backfill b : backfill) {
            row(t, "Backfill " + b.direction() + ", " + n(b.records()) + " records (first cycle)",
                    String.format(Locale.ROOT, "%s records/s in %.1f s = %.0f%% of the raw copy rate, %.0f%% of the"
                            + " raw write rate; %s copied; machine %.0f%% busy", n(b.perSecond()), b.seconds(),
                            b.copyRatio() * 100, b.ratio() * 100, n(b.copied()), b.machineBusy() * 100));
            row(t, "Daemon CPU during that backfill", String.format(Locale.ROOT, "%s ms per record copied (%s ms over"
                    + " the cycle) = %.1f × the raw copier's %s ms", ms(b.cpuMillisPerRecord()), n(b.daemonCpuMillis()),
                    b.cpuMillisPerRecord() / Math.max(b.rawCopyCpuMillisPerRecord(), 1e-9),
                    ms(b.rawCopyCpuMillisPerRecord())));
            row(t, "Daemon heap during that backfill (-Xmx" + b.daemonHeap() + ")",
                    String.format(Locale.ROOT, "peak %d MB in use, at most %d MB left after a collection; %s", b.heapPeakMb(),
                            b.heapMaxAfterGcMb(), b.succeeded() ? "succeeded" : "FAILED " + b.failures()));
        }
        if (incremental != null) {
            Incremental i = incremental;
            row(t, String.format(Locale.ROOT, "Incremental: %s changes/s per side in turn, against one running daemon,"
                    + " %d s each after %d s of warm-up", i.rates().stream().map(r -> n(r.ratePerSide()))
                            .collect(java.util.stream.Collectors.joining(", ")), i.seconds(), i.warmUpSeconds()),
                    knee(i) + "; each rate in the table below");
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
        if (incremental != null) {
            incrementalTable(t, incremental);
        }
        t.append("\n| Target | Measured | Met |\n|---|---|---|\n");
        for (Target g : targets) {
            t.append("| ").append(g.name()).append(": ").append(g.target()).append(" | ").append(g.measured())
                    .append(g.note().isEmpty() ? "" : " (" + g.note() + ")").append(" | ")
                    .append(g.met() ? "yes" : "**no**").append(" |\n");
        }
        return t.toString();
    }

    private String knee(Incremental i) {
        String slower = raw.cassandraPerSecond() <= raw.elasticsearchPerSecond() ? "Cassandra" : "Elasticsearch";
        String behind = i.rates().stream().filter(r -> !r.keptUp()).findFirst()
                .map(r -> "; " + n(r.ratePerSide()) + "/s fell behind (the phase stops at the first that does)").orElse("");
        if (i.kneePerSide() == 0) {
            return "no rate kept up" + behind;
        }
        return String.format(Locale.ROOT, "knee %s changes/s per side (the highest rate that kept up) = %.1f%% of the"
                + " slower store's raw write rate (%s, %s records/s)%s", n(i.kneePerSide()), i.kneeShare() * 100, slower,
                n(i.slowerRawWritePerSecond()), behind);
    }

    /** One line per rate of the incremental phase. */
    private static void incrementalTable(StringBuilder t, Incremental i) {
        t.append(String.format(Locale.ROOT, "%nIncremental, rate by rate (sync.period %d ms): delay until a change is"
                + " visible on the other side; \"per change\" is per change the load wrote, both sides together,"
                + " warm-up included.%n%n", i.periodMillis()));
        t.append("| Rate per side | Achieved per side | Delay p50 / p95 / p99 / max | Backlog | Cycles | Read"
                + " amplification | Metadata reads per change | Look-ups per change | Daemon CPU per change | Load"
                + " generator CPU per change | Probe reads per change |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        boolean counted = false;
        for (IncrementalRate r : i.rates()) {
            counted |= !r.contentReadsReported();
            t.append("| ").append(n(r.ratePerSide())).append("/s | ")
                    .append(String.format(Locale.ROOT, "%,.1f/s | ", r.achievedPerSecondPerSide()))
                    .append(String.format(Locale.ROOT, "%s / %s / %s / %s s (%s samples; warm-up p99 %s s) | ",
                            s(r.p50Millis()), s(r.p95Millis()), s(r.p99Millis()), s(r.maxMillis()), n(r.samples()),
                            s(r.warmUpP99Millis())))
                    .append(String.format(Locale.ROOT, "%s: all %s changes arrived %s s after the load stopped (%d"
                            + " missing); p95 %s s in the first quarter, %s s in the last | ",
                            r.keptUp() ? "kept up" : "**fell behind**", n(r.changes()), s(r.drainMillis()),
                            r.missing(), s(r.firstQuarterP95Millis()), s(r.lastQuarterP95Millis())))
                    .append(String.format(Locale.ROOT, "%d, mean %s ms, max %s ms | ", r.cycles(), n(r.cycleMeanMillis()),
                            n(r.cycleMaxMillis())))
                    .append(String.format(Locale.ROOT, "%.2f%s | %.2f | %s | %s ms | %s ms | %.2f |",
                            r.readAmplification(),
                            r.contentReadsReported() ? "" : "*", r.metadataReadsPerChange(),
                            r.lookUpsPerChange() < 0 ? "not reported"
                                    : String.format(Locale.ROOT, "%.2f", r.lookUpsPerChange()),
                            ms(r.daemonCpuMillisPerChange()), ms(r.loadCpuMillisPerChange()),
                            r.probeReadsPerChange()))
                    .append('\n');
        }
        if (counted) {
            t.append("\n\\* counted from all reads (the daemon did not report content reads)\n");
        }
    }

    private static void row(StringBuilder t, String measure, String result) {
        t.append("| ").append(measure).append(" | ").append(result).append(" |\n");
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /** CPU milliseconds per record or change: fractions of a millisecond. */
    static String ms(double millis) {
        return String.format(Locale.ROOT, "%.3f", millis);
    }

    static String s(long millis) {
        return String.format(Locale.ROOT, "%.2f", millis / 1000.0);
    }
}

package org.cassandraessync.bench;

import static org.cassandraessync.bench.BenchResult.ms;
import static org.cassandraessync.bench.BenchResult.n;
import static org.cassandraessync.bench.BenchResult.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.cassandraessync.bench.BenchResult.Backfill;
import org.cassandraessync.bench.BenchResult.Idle;
import org.cassandraessync.bench.BenchResult.Incremental;
import org.cassandraessync.bench.BenchResult.IncrementalRate;
import org.cassandraessync.bench.BenchResult.Pairs;
import org.cassandraessync.bench.BenchResult.Target;
import org.cassandraessync.bench.BenchResult.Verify;

/** The targets, each against what this run measured, with why a missed one was missed. */
final class Targets {

    /** The rate the incremental target names, per side. */
    static final int INCREMENTAL_RATE = 1_000;

    private Targets() {
    }

    static List<Target> of(BenchOptions options, List<Backfill> backfills, Incremental inc, List<Idle> idle,
            Pairs pairs, Verify verify) {
        List<Target> targets = new ArrayList<>();
        for (Backfill b : backfills) {
            boolean met = b.copyRatio() >= 0.8 && b.succeeded();
            String why = met ? "" : String.format(Locale.ROOT, "%.0f points short: %s records/s against %s; the"
                    + " machine was %.0f%% busy", 80 - b.copyRatio() * 100, n(b.perSecond()), n(b.rawCopyPerSecond()),
                    b.machineBusy() * 100);
            targets.add(new Target("Backfill " + b.direction(), "≥ 80% of the raw copy rate",
                    String.format(Locale.ROOT, "%.0f%%", b.copyRatio() * 100), met, why));
        }
        for (Backfill b : backfills) {
            double times = b.cpuMillisPerRecord() / Math.max(b.rawCopyCpuMillisPerRecord(), 1e-9);
            targets.add(new Target("Daemon CPU per record, backfill " + b.direction(), "≤ 2 × the raw copier's",
                    String.format(Locale.ROOT, "%s ms vs %s ms = %.1f ×", ms(b.cpuMillisPerRecord()),
                            ms(b.rawCopyCpuMillisPerRecord()), times), times <= 2, ""));
        }
        targets.add(incremental(inc));
        Optional<IncrementalRate> knee = inc.atKnee();
        boolean allKeptUp = inc.rates().stream().allMatch(IncrementalRate::keptUp);
        targets.add(new Target("Knee of the incremental", "≥ 10% of the slower store's raw write rate",
                String.format(Locale.ROOT, "%s/s per side = %.1f%% of %s records/s", n(inc.kneePerSide()),
                        inc.kneeShare() * 100, n(inc.slowerRawWritePerSecond())), inc.kneeShare() >= 0.1,
                knee.isEmpty() ? "no rate kept up" : allKeptUp
                        ? "every rate run kept up: the knee is at least this; higher -Dbench.rates would find it" : ""));
        targets.add(new Target("Read amplification at the knee", "≤ 1.3 content reads per change",
                knee.map(r -> String.format(Locale.ROOT, "%.2f at %s/s", r.readAmplification(), n(r.ratePerSide())))
                        .orElse("no knee"), knee.isPresent() && knee.get().readAmplification() <= 1.3,
                knee.isPresent() && !knee.get().contentReadsReported()
                        ? "counted from all reads: the daemon did not report content reads" : ""));
        double backfillCpu = backfills.stream().mapToDouble(Backfill::cpuMillisPerRecord).average().orElse(0);
        targets.add(new Target("Daemon CPU per change at the knee",
                "≤ 1.5 × its CPU per record in the backfill (mean of both directions)",
                knee.map(r -> String.format(Locale.ROOT, "%s ms vs %s ms = %.1f ×", ms(r.daemonCpuMillisPerChange()),
                        ms(backfillCpu), r.daemonCpuMillisPerChange() / Math.max(backfillCpu, 1e-9))).orElse("no knee"),
                knee.isPresent() && knee.get().daemonCpuMillisPerChange() <= 1.5 * backfillCpu, ""));
        targets.add(idle(idle));
        targets.add(memory(options, backfills));
        targets.add(new Target(pairs.count() + " pairs in one daemon", "idle CPU ≤ " + pairs.count() + " × one pair's",
                String.format(Locale.ROOT, "%.2f × per pair", pairs.perPairRatio()), pairs.perPairRatio() <= 1.0, ""));
        if (verify != null) {
            long size = idle.get(idle.size() - 1).records();
            targets.add(new Target("verify", n(size) + " records per side within -Xmx" + options.daemonHeap(),
                    String.format(Locale.ROOT, "%.0f s, peak heap %d MB, exit %d", verify.seconds(),
                            verify.heapPeakMb(), verify.exitCode()), verify.succeeded(size), ""));
            targets.add(new Target("verify speed", "≥ 50% of the raw scan rate of the two stores together",
                    String.format(Locale.ROOT, "%.0f%% (%s records/s; the raw scans read both sides in %.1f s)",
                            verify.ratio() * 100, n(Math.round(verify.perSecond())),
                            verify.ratio() * verify.seconds()), verify.ratio() >= 0.5, ""));
        }
        return targets;
    }

    /** At {@value #INCREMENTAL_RATE}/s per side: measured, or why not. */
    private static Target incremental(Incremental inc) {
        String name = "Incremental at " + n(INCREMENTAL_RATE) + "/s per side";
        long allowed = inc.periodMillis() + 2000;
        String target = "p99 ≤ period + 2 s = " + s(allowed) + " s, no backlog";
        Optional<IncrementalRate> at = inc.at(INCREMENTAL_RATE);
        if (at.isEmpty()) {
            String why = inc.rates().stream().filter(r -> !r.keptUp() && r.ratePerSide() < INCREMENTAL_RATE)
                    .findFirst().map(r -> "fell behind at " + n(r.ratePerSide()) + "/s already")
                    .orElse("not measured: " + INCREMENTAL_RATE + " is not among -Dbench.rates");
            return new Target(name, target, "not run", false, why);
        }
        IncrementalRate r = at.get();
        boolean met = r.p99Millis() <= allowed && r.keptUp();
        return new Target(name, target, "p99 " + s(r.p99Millis()) + " s, " + (r.keptUp() ? "kept up" : "fell behind"),
                met, met ? "" : String.format(Locale.ROOT, "%s s over; cycles took %d ms on average, %d ms at most, for"
                        + " a period of %d ms", s(Math.max(0, r.p99Millis() - allowed)), r.cycleMeanMillis(),
                        r.cycleMaxMillis(), inc.periodMillis()));
    }

    private static Target idle(List<Idle> idle) {
        Idle smallest = idle.get(0);
        Idle largest = idle.get(idle.size() - 1);
        boolean atMillion = largest.records() >= 1_000_000;
        return new Target("Idle cycle", "≤ 50 ms at 1M records and ≤ 2× the " + n(smallest.records()) + " figure",
                String.format(Locale.ROOT, "%d ms at %s, %d ms at %s", largest.medianMillis(), n(largest.records()),
                        smallest.medianMillis(), n(smallest.records())),
                atMillion && largest.medianMillis() <= 50
                        && largest.medianMillis() <= 2 * Math.max(smallest.medianMillis(), 1),
                atMillion ? "medians" : "not measured at 1M records");
    }

    private static Target memory(BenchOptions options, List<Backfill> backfills) {
        boolean million = options.records() >= 1_000_000;
        boolean allSucceeded = backfills.stream().allMatch(Backfill::succeeded);
        return new Target("Memory", "backfill of 1M records succeeds with -Xmx256m",
                n(options.records()) + " records each way with -Xmx" + options.daemonHeap() + ": "
                        + (allSucceeded ? "succeeded" : "failed") + ", peak "
                        + backfills.stream().mapToLong(Backfill::heapPeakMb).max().orElse(0) + " MB",
                million && allSucceeded && options.daemonHeap().equals("256m"),
                million ? "" : "run with -Dbench.records=1000000 for the 1M figure");
    }
}

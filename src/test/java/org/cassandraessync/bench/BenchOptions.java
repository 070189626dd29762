package org.cassandraessync.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a benchmark run does, from {@code -Dbench.*} system properties (see
 * docs/performance.md); the defaults are the reference run.
 */
record BenchOptions(
        /** Records per backfill direction; also the count of the raw-write measurements. */
        long records,
        /**
         * Changes per second written to each store in the incremental phase, one rate after the
         * other against the same daemon (warm-up and measured time each), up to the first that
         * falls behind.
         */
        List<Integer> rates,
        Duration loadDuration,
        /** Load written before the measured part, at the same rate, with its delays reported apart. */
        Duration loadWarmUp,
        /** The daemon's sync.period in every phase. */
        Duration period,
        /** Table sizes the idle cycle is measured at (the table grows from one to the next). */
        List<Long> idleSizes,
        int idleCycles,
        /** Pairs in the many-pairs phase, and the quiet records each holds. */
        int pairs,
        long pairRecords,
        /** How long the idle CPU of the one-pair and the many-pairs daemon is measured. */
        Duration pairsWindow,
        /** Maximum heap of the daemon's JVM (-Xmx) in every phase. */
        String daemonHeap,
        /** Further JVM options for the daemon (space-separated), e.g. a profiler's. */
        List<String> daemonOptions,
        /** One change in this many is followed for its delay (all of them are checked at the end). */
        int sampleEvery,
        /** Longest wait for the machine to be quiet before a measurement. */
        Duration settleMax,
        Path workDir,
        Path output,
        Path jar) {

    static BenchOptions fromSystemProperties() {
        Path work = Path.of(System.getProperty("bench.dir", "target/bench"));
        return new BenchOptions(
                Long.getLong("bench.records", 200_000),
                Arrays.stream(System.getProperty("bench.rates", "250,500,1000,2000").split(","))
                        .map(String::trim).map(Integer::valueOf).toList(),
                Duration.ofSeconds(Long.getLong("bench.duration", 60)),
                Duration.ofSeconds(Long.getLong("bench.warmup", 15)),
                Duration.ofMillis(Long.getLong("bench.period-ms", 1000)),
                Arrays.stream(System.getProperty("bench.idle-sizes", "10000,100000,1000000").split(","))
                        .map(String::trim).map(Long::valueOf).toList(),
                Integer.getInteger("bench.idle-cycles", 20),
                Integer.getInteger("bench.pairs", 20),
                Long.getLong("bench.pair-records", 1000),
                Duration.ofSeconds(Long.getLong("bench.pairs-window", 30)),
                System.getProperty("bench.daemon-heap", "256m"),
                Arrays.stream(System.getProperty("bench.daemon-options", "").split(" ")).filter(o -> !o.isBlank())
                        .toList(),
                Integer.getInteger("bench.sample-every", 10),
                Duration.ofSeconds(Long.getLong("bench.settle-max", 60)),
                work,
                Path.of(System.getProperty("bench.output", work.resolve("result.json").toString())),
                Path.of(System.getProperty("app.jar", "target/cassandra-es-sync.jar")));
    }
}

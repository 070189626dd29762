package org.cassandraessync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.bench.BenchResult.Backfill;
import org.cassandraessync.bench.BenchResult.Idle;
import org.cassandraessync.bench.BenchResult.IncrementalRate;
import org.cassandraessync.sandbox.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark ({@code mvn -Pbench}) at a tiny size, so that it keeps compiling and working: every
 * phase runs against the packaged daemon and its counts add up. No timing is asserted here; the
 * figures come from full runs (docs/performance.md).
 */
class BenchmarkSmokeIT {

    private static final long RECORDS = 2_000;

    @TempDir
    Path work;

    @Test
    void a_tiny_run_measures_every_phase_and_the_daemon_copies_every_record() throws Exception {
        BenchOptions options = new BenchOptions(RECORDS, List.of(40, 20), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(1),
                List.of(2_000L), 3, 2, 200, Duration.ofSeconds(5), "256m", List.of(), 4, Duration.ofSeconds(5), work,
                work.resolve("result.json"), Path.of(System.getProperty("app.jar", "target/cassandra-es-sync.jar")));

        BenchResult result = new SyncBenchmark(Sandbox.shared(), options).run();

        assertThat(result.raw().cassandraPerSecond()).isPositive();
        assertThat(result.raw().elasticsearchPerSecond()).isPositive();
        assertThat(result.rawCopy()).hasSize(2).allSatisfy(c -> {
            assertThat(c.copied()).as("raw copy " + c.direction()).isEqualTo(RECORDS);
            assertThat(c.perSecond()).as("raw copy rate " + c.direction()).isPositive();
            assertThat(c.cpuMillisPerRecord()).as("raw copier's CPU per record " + c.direction()).isPositive();
        });
        assertThat(result.backfill()).hasSize(2).allSatisfy(b -> {
            assertThat(b.copied()).as(b.direction() + " copied").isEqualTo(RECORDS);
            assertThat(b.inTarget()).as(b.direction() + " in the target store").isEqualTo(RECORDS);
            assertThat(b.failures()).isEmpty();
            assertThat(b.heapPeakMb()).as("heap read from the daemon's GC log").isPositive();
            assertThat(b.cpuMillisPerRecord()).as(b.direction() + ": daemon CPU per record").isPositive();
            assertThat(b.copyRatio()).as(b.direction() + ": share of the raw copy rate").isPositive();
        });
        assertThat(result.backfill()).extracting(Backfill::succeeded).containsOnly(true);
        // the rates run lowest first; the second runs only if the first kept up (no timing is asserted)
        assertThat(result.incremental().rates()).isNotEmpty().first().extracting(IncrementalRate::ratePerSide)
                .isEqualTo(20);
        assertThat(result.incremental().rates()).allSatisfy(r -> {
            String at = " at " + r.ratePerSide() + "/s";
            assertThat(r.changes()).as("changes written by the load" + at).isGreaterThan(r.ratePerSide() * 2L);
            assertThat(r.samples()).as("changes whose delay was measured" + at).isPositive();
            assertThat(r.missing()).as("changes that never reached the other store" + at).isZero();
            assertThat(r.achievedPerSecondPerSide()).as("rate the load achieved" + at).isPositive();
            assertThat(r.cycles()).as("cycles during the load" + at).isPositive();
            assertThat(r.readAmplification()).as("read amplification" + at).isPositive();
            assertThat(r.metadataReadsPerChange()).as("metadata reads per change" + at).isPositive();
            assertThat(r.daemonCpuMillisPerChange()).as("daemon CPU per change" + at).isPositive();
            assertThat(r.loadCpuMillisPerChange()).as("load generator CPU per change" + at).isPositive();
            assertThat(r.probeReads()).as("probe reads: every followed change is read at least once" + at)
                    .isGreaterThanOrEqualTo(r.samples());
        });
        assertThat(result.incremental().slowerRawWritePerSecond()).isPositive();
        assertThat(result.idle()).extracting(Idle::records).containsExactly(2_000L);
        assertThat(result.idle()).extracting(Idle::cycles).containsOnly(3);
        assertThat(result.pairs().count()).isEqualTo(2);
        assertThat(result.pairs().oneCycles()).as("cycles of the one-pair daemon in its window").isPositive();
        assertThat(result.pairs().manyCycles()).as("cycles of the two-pair daemon").isGreaterThan(
                result.pairs().oneCycles());
        assertThat(result.pairs().manyCpuPercent()).as("CPU of the two-pair daemon").isPositive();
        assertThat(result.verify().exitCode()).as("verify finds the idle pair in sync").isZero();
        assertThat(result.verify().cassandraRecords()).isEqualTo(2_000);
        assertThat(result.verify().elasticsearchRecords()).isEqualTo(2_000);
        assertThat(result.verify().rawCassandraScanPerSecond()).isPositive();
        assertThat(result.verify().heapPeakMb()).as("verify's heap, from its GC log").isPositive();
        assertThat(result.targets()).hasSize(13);
        assertThat(result.targets()).extracting(BenchResult.Target::name).endsWith("verify", "verify speed");

        JsonNode json = new ObjectMapper().readTree(work.resolve("result.json").toFile());
        assertThat(json.path("backfill").size()).isEqualTo(2);
        assertThat(json.path("rawCopy").size()).isEqualTo(2);
        assertThat(json.path("incremental").path("rates").get(0).path("p99Millis").asLong()).isPositive();
        assertThat(json.path("incremental").path("rates").get(0).path("readAmplification").asDouble()).isPositive();
        assertThat(Files.readString(work.resolve("result.md"))).contains("| Measure | Result |",
                "Raw copy Cassandra → Elasticsearch", "of the raw copy rate", "Daemon CPU during that backfill",
                "| Rate per side |", "Idle cycle", "Idle daemon CPU, 1 pair vs 2 pairs",
                "verify, 2,000 + 2,000 records in sync");
    }
}

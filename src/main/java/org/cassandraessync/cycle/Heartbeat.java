package org.cassandraessync.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import org.cassandraessync.record.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line a minute per pair, whatever its cycles did: the pair is alive, how many cycles
 * ran (and failed) since the last line, what they wrote, how far behind the checkpoints are.
 * Cycles that change nothing log at DEBUG only, so this line is what a quiet pair shows.
 */
final class Heartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    static final Duration EVERY = Duration.ofMinutes(1);

    private final String pair;
    private Instant since;
    private long cycles;
    private long failed;
    private long written;

    Heartbeat(String pair, Instant start) {
        this.pair = pair;
        this.since = start;
    }

    /** Counts a cycle that ended; logs the line when a minute has passed since the last one. */
    synchronized void cycleEnded(CycleSummary cycle, Instant now, Supplier<Map<Side, Duration>> checkpointAges) {
        cycles++;
        failed += cycle.failed() ? 1 : 0;
        written += cycle.writtenInAll();
        Duration elapsed = Duration.between(since, now);
        if (elapsed.compareTo(EVERY) < 0) {
            return;
        }
        Map<Side, Duration> ages = checkpointAges.get();
        LOG.info("{} alive: {} cycles in the last {} s ({} failed), {} records written; checkpoints behind by"
                + " cassandra {} s, elasticsearch {} s", pair, cycles, elapsed.toSeconds(), failed, written,
                seconds(ages.get(Side.CASSANDRA)), seconds(ages.get(Side.ELASTICSEARCH)));
        since = now;
        cycles = 0;
        failed = 0;
        written = 0;
    }

    private static String seconds(Duration d) {
        return d == null ? "?" : String.valueOf(d.toSeconds());
    }
}

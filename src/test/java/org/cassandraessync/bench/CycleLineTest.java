package org.cassandraessync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.cassandraessync.bench.DaemonProcess.Cycle;
import org.junit.jupiter.api.Test;

/**
 * The benchmark reads what the daemon did from its cycle summary lines: the counter suffix is
 * parsed when the daemon writes it, and an older daemon's line (without it) still parses.
 */
class CycleLineTest {

    private static final String LINE = "2026-11-21 10:00:00 INFO  bench_x cycle 45: cassandra→elasticsearch read 27783"
            + " written 14928 | elasticsearch→cassandra read 43428 written 15946 | unchanged 40337 | conflicts 0 |"
            + " rejected 0 | 28325 ms (Cassandra side 9000 ms, Elasticsearch side 19325 ms)";

    @Test
    void the_content_read_and_look_up_counters_are_parsed_when_the_daemon_reports_them() {
        Cycle c = DaemonProcess.parseCycle(LINE + " | content read 14900 + 15000 | looked up 14800 + 15900", 7)
                .orElseThrow();

        assertThat(c.pair()).isEqualTo("bench_x");
        assertThat(c.number()).isEqualTo(45);
        assertThat(c.readCassandra()).isEqualTo(27783);
        assertThat(c.writtenElasticsearch()).isEqualTo(14928);
        assertThat(c.readElasticsearch()).isEqualTo(43428);
        assertThat(c.writtenCassandra()).isEqualTo(15946);
        assertThat(c.unchanged()).isEqualTo(40337);
        assertThat(c.millis()).isEqualTo(28325);
        assertThat(c.contentReadCassandra()).isEqualTo(14900);
        assertThat(c.contentReadElasticsearch()).isEqualTo(15000);
        assertThat(c.lookedUpElasticsearch()).isEqualTo(14800);
        assertThat(c.lookedUpCassandra()).isEqualTo(15900);
        assertThat(c.reportsContentReads()).isTrue();
        assertThat(c.reportsLookUps()).isTrue();
        assertThat(c.seenAtNanos()).isEqualTo(7);
    }

    @Test
    void an_older_daemons_line_without_the_suffix_still_parses_with_the_counters_unknown() {
        Cycle c = DaemonProcess.parseCycle(LINE, 0).orElseThrow();

        assertThat(c.millis()).isEqualTo(28325);
        assertThat(c.contentReadCassandra()).isEqualTo(-1);
        assertThat(c.lookedUpCassandra()).isEqualTo(-1);
        assertThat(c.reportsContentReads()).isFalse();
        assertThat(c.reportsLookUps()).isFalse();
    }

    @Test
    void a_line_from_before_pairs_and_side_times_parses_too() {
        Cycle c = DaemonProcess.parseCycle("INFO  SyncCycle - Cycle 3: cassandra→elasticsearch read 5 written 5 | elasticsearch→cassandra"
                + " read 0 written 0 | unchanged 0 | conflicts 0 | rejected 0 | 12 ms", 0).orElseThrow();

        assertThat(c.number()).isEqualTo(3);
        assertThat(c.millis()).isEqualTo(12);
        assertThat(c.reportsContentReads()).isFalse();
    }

    @Test
    void other_lines_are_not_cycles() {
        assertThat(DaemonProcess.parseCycle("bench_x cycle 46 failed after 120 ms: boom", 0)).isEmpty();
    }
}

package org.cassandraessync.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class SyncWindowTest {

    private static final Instant START = Instant.parse("2026-12-03T08:00:00.000Z");
    private static final Duration SKEW = Duration.ofMinutes(1);
    private final SyncWindow window = new SyncWindow(START.minusSeconds(10), START);

    @Test
    void a_version_stamped_while_the_cycle_runs_is_left_to_the_next_cycle() {
        assertThat(window.belongsToNextCycle(START.plusMillis(1).toEpochMilli(), SKEW)).isTrue();
        assertThat(window.belongsToNextCycle(START.plusSeconds(59).toEpochMilli(), SKEW)).isTrue();
    }

    @Test
    void a_version_inside_the_window_is_read_now() {
        assertThat(window.belongsToNextCycle(START.toEpochMilli(), SKEW)).isFalse();
        assertThat(window.belongsToNextCycle(START.minusSeconds(5).toEpochMilli(), SKEW)).isFalse();
    }

    @Test
    void a_version_beyond_the_clock_skew_limit_is_read_now_so_that_it_is_rejected_now() {
        assertThat(window.belongsToNextCycle(START.plus(SKEW).plusMillis(1).toEpochMilli(), SKEW)).isFalse();
    }

    @Test
    void a_full_window_defers_nothing() {
        assertThat(new SyncWindow(null, START).belongsToNextCycle(START.plusSeconds(1).toEpochMilli(), SKEW)).isFalse();
    }
}

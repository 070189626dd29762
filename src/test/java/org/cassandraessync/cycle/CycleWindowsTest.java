package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncWindow;
import org.junit.jupiter.api.Test;

class CycleWindowsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00.000Z");
    private static final Duration OVERLAP = Duration.ofSeconds(5);

    @Test
    void a_side_with_a_checkpoint_is_read_from_the_checkpoint_minus_the_overlap_until_the_cycle_start() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        Instant mark = NOW.minusSeconds(60);
        windows.open(NOW, Map.of(Side.CASSANDRA, mark, Side.ELASTICSEARCH, mark), side -> false);
        assertThat(windows.window(Side.CASSANDRA)).isEqualTo(new SyncWindow(mark.minus(OVERLAP), NOW));
        assertThat(windows.watermarks()).containsEntry(Side.CASSANDRA, NOW).containsEntry(Side.ELASTICSEARCH, NOW);
    }

    @Test
    void without_a_checkpoint_a_side_is_read_in_full_unless_it_is_empty() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        windows.open(NOW, Map.of(), side -> side == Side.ELASTICSEARCH);
        assertThat(windows.window(Side.CASSANDRA).isFull()).isTrue();
        assertThat(windows.wasEmptyAtStart(Side.CASSANDRA)).isFalse();
        assertThat(windows.window(Side.ELASTICSEARCH)).isEqualTo(new SyncWindow(NOW.minus(OVERLAP), NOW));
        assertThat(windows.wasEmptyAtStart(Side.ELASTICSEARCH)).isTrue();
    }

    @Test
    void a_checkpoint_counts_more_than_an_empty_store() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        Instant mark = NOW.minusSeconds(1);
        windows.open(NOW, Map.of(Side.CASSANDRA, mark), side -> true);
        assertThat(windows.wasEmptyAtStart(Side.CASSANDRA)).isFalse();
        assertThat(windows.window(Side.CASSANDRA).after()).isEqualTo(mark.minus(OVERLAP));
    }

    @Test
    void a_refused_write_holds_its_source_checkpoint_just_before_the_oldest_refused_version() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        windows.open(NOW, Map.of(), side -> false);
        windows.holdBack(Side.CASSANDRA, NOW.minusSeconds(10));
        windows.holdBack(Side.CASSANDRA, NOW.minusSeconds(30));
        windows.holdBack(Side.CASSANDRA, NOW.minusSeconds(20));
        assertThat(windows.watermarks())
                .containsEntry(Side.CASSANDRA, NOW.minusSeconds(30).minusMillis(1))
                .containsEntry(Side.ELASTICSEARCH, NOW);
    }

    @Test
    void a_refused_version_stamped_after_the_cycle_start_does_not_move_the_checkpoint_forward() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        windows.open(NOW, Map.of(), side -> false);
        windows.holdBack(Side.ELASTICSEARCH, NOW.plusSeconds(3));
        assertThat(windows.watermarks()).containsEntry(Side.ELASTICSEARCH, NOW);
    }

    @Test
    void the_next_cycle_forgets_the_previous_hold_back() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        windows.open(NOW, Map.of(), side -> false);
        windows.holdBack(Side.CASSANDRA, NOW.minusSeconds(30));
        Instant later = NOW.plusSeconds(5);
        windows.open(later, Map.of(Side.CASSANDRA, NOW), side -> false);
        assertThat(windows.watermarks()).containsEntry(Side.CASSANDRA, later);
    }
}

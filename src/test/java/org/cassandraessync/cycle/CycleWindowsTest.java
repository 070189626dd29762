package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
        assertThat(windows.window(Side.CASSANDRA).after()).isEqualTo(mark.minus(OVERLAP));
        assertThat(windows.window(Side.CASSANDRA).until()).isEqualTo(NOW);
        assertThat(windows.window(Side.CASSANDRA).covers(mark.minusSeconds(4))).isTrue();
        assertThat(windows.window(Side.CASSANDRA).covers(mark.plusSeconds(30))).isTrue();
        assertThat(windows.watermarks()).containsEntry(Side.CASSANDRA, NOW).containsEntry(Side.ELASTICSEARCH, NOW);
    }

    @Test
    void after_a_cycle_longer_than_the_overlap_the_re_read_before_the_checkpoint_is_still_its_own_range() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        Instant mark = NOW.minusSeconds(16);
        windows.open(NOW, Map.of(Side.CASSANDRA, mark, Side.ELASTICSEARCH, mark), side -> false);
        // the overlap (and the daemon's own writes of the cycle before) is read by version; the rest with content
        assertThat(windows.window(Side.CASSANDRA).ranges()).containsExactly(
                new SyncWindow.Range(mark.minus(OVERLAP), mark), new SyncWindow.Range(mark, null));
        assertThat(windows.window(Side.ELASTICSEARCH).ranges()).containsExactly(
                new SyncWindow.Range(mark.minus(OVERLAP), mark), new SyncWindow.Range(mark, null));
    }

    @Test
    void a_checkpoint_younger_than_the_overlap_is_read_fresh_from_it_and_again_only_up_to_the_overlap_before_the_start() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        Instant mark = NOW.minusSeconds(1);
        windows.open(NOW, Map.of(Side.CASSANDRA, mark, Side.ELASTICSEARCH, mark), side -> false);
        assertThat(windows.window(Side.ELASTICSEARCH).ranges()).containsExactly(
                new SyncWindow.Range(mark.minus(OVERLAP), NOW.minus(OVERLAP)), new SyncWindow.Range(mark, null));
        // between the two: read fresh by the cycle before, not yet as old as the overlap
        assertThat(windows.window(Side.ELASTICSEARCH).covers(NOW.minusSeconds(3))).isFalse();
    }

    @Test
    void over_consecutive_cycles_each_version_is_read_at_most_twice_and_last_when_it_is_as_old_as_the_overlap() {
        CycleWindows windows = new CycleWindows(OVERLAP);
        List<Instant> versions = new ArrayList<>();
        for (Instant v = NOW.plusMillis(7); v.isBefore(NOW.plusSeconds(60)); v = v.plusMillis(37)) {
            versions.add(v);
        }
        // per version, its age at each read
        Map<Instant, List<Duration>> reads = new HashMap<>();
        Instant mark = NOW;
        Instant start = NOW;
        // cycles of a quiet pair, of a loaded one, and ones that ran longer than the overlap
        for (long millis : new long[] {1000, 1000, 700, 1300, 2500, 9000, 1000, 400, 1000, 3000, 1000, 6000, 1000,
            1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}) {
            start = start.plusMillis(millis);
            windows.open(start, Map.of(Side.CASSANDRA, mark, Side.ELASTICSEARCH, mark), side -> false);
            SyncWindow window = windows.window(Side.CASSANDRA);
            for (Instant v : versions) {
                // what is stamped after the cycle's start is left to the next cycle
                if (!v.isAfter(start) && window.covers(v)) {
                    reads.computeIfAbsent(v, k -> new ArrayList<>()).add(Duration.between(v, start));
                }
            }
            mark = windows.watermarks().get(Side.CASSANDRA);
        }
        Instant last = start;
        assertThat(versions).allSatisfy(v -> {
            if (!v.isAfter(last)) {
                // fresh, and again once as old as the overlap (once in all when first read that old)
                assertThat(reads.get(v)).as("ages of %s when read", v).hasSizeBetween(1, 2);
            }
            if (!v.isAfter(last.minus(OVERLAP))) {
                assertThat(reads.get(v).get(reads.get(v).size() - 1)).as("age of %s when last read", v)
                        .isGreaterThanOrEqualTo(OVERLAP);
            }
        });
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

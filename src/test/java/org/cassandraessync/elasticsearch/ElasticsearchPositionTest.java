package org.cassandraessync.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.cassandraessync.record.SyncWindow;
import org.junit.jupiter.api.Test;

/**
 * A reading of Elasticsearch that goes on from a position (a timestamp): the window's ranges are
 * read in timestamp order, so what lies before the position is dropped and the range that holds it
 * starts there, the documents stamped exactly then included.
 */
class ElasticsearchPositionTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00.000Z");
    private static final Instant T1 = Instant.parse("2026-12-07T10:00:05.000Z");
    private static final Instant T2 = Instant.parse("2026-12-07T10:00:09.000Z");

    @Test
    void a_full_window_goes_on_from_the_position_stamped_documents_included() {
        assertThat(ElasticsearchChanges.from(List.of(new SyncWindow.Range(null, null)), T1))
                .containsExactly(new SyncWindow.Range(T1.minusMillis(1), null));
    }

    @Test
    void a_re_read_range_before_the_position_is_dropped_and_the_fresh_one_starts_there() {
        List<SyncWindow.Range> window = new SyncWindow(T0, T2, new SyncWindow.Range(T1, T1)).ranges();
        assertThat(window).containsExactly(new SyncWindow.Range(T0, T1), new SyncWindow.Range(T1, null));

        assertThat(ElasticsearchChanges.from(window, T2))
                .containsExactly(new SyncWindow.Range(T2.minusMillis(1), null));
        assertThat(ElasticsearchChanges.from(window, T0.plusMillis(1)))
                .as("a position in the re-read range keeps the rest of it and the fresh range")
                .containsExactly(new SyncWindow.Range(T0, T1), new SyncWindow.Range(T1, null));
        assertThat(ElasticsearchChanges.from(window, T0.plusSeconds(2)))
                .containsExactly(new SyncWindow.Range(T0.plusSeconds(2).minusMillis(1), T1), new SyncWindow.Range(T1, null));
        assertThat(ElasticsearchChanges.from(window, null)).isEqualTo(window);
    }
}

package org.cassandraessync.pair;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.pair.PairCheck.Difference;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.junit.jupiter.api.Test;

class PairCheckTest {

    private static final UUID ID = UUID.randomUUID();
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static SyncRecord copy(Side side, Instant at, String name) {
        return new SyncRecord(ID, at, Map.of("name", name), side);
    }

    @Test
    void the_same_version_on_both_sides_is_no_difference() {
        assertThat(PairCheck.compare(copy(Side.CASSANDRA, T, "a"), copy(Side.ELASTICSEARCH, T, "a"), Side.CASSANDRA))
                .isNull();
    }

    @Test
    void a_copy_on_one_side_only_is_missing_on_the_other_and_wins() {
        PairCheck.Found f = PairCheck.compare(copy(Side.ELASTICSEARCH, T, "a"), null, Side.CASSANDRA);
        assertThat(f.kind()).isEqualTo(Difference.MISSING_IN_CASSANDRA);
        assertThat(f.winner()).isEqualTo(Side.ELASTICSEARCH);
        assertThat(f.cassandraLastModified()).isNull();
        assertThat(f.kind().reason()).isEqualTo("missing");
    }

    @Test
    void the_newer_copy_wins_whichever_side_was_read() {
        PairCheck.Found f = PairCheck.compare(copy(Side.CASSANDRA, T, "old"),
                copy(Side.ELASTICSEARCH, T.plusMillis(1), "new"), Side.CASSANDRA);
        assertThat(f.kind()).isEqualTo(Difference.NEWER_IN_ELASTICSEARCH);
        assertThat(f.winner()).isEqualTo(Side.ELASTICSEARCH);
        assertThat(f.elasticsearchLastModified()).isEqualTo(T.plusMillis(1));
    }

    @Test
    void equal_timestamps_with_different_content_go_to_the_tie_breaker() {
        PairCheck.Found f = PairCheck.compare(copy(Side.CASSANDRA, T, "a"), copy(Side.ELASTICSEARCH, T, "b"),
                Side.ELASTICSEARCH);
        assertThat(f.kind()).isEqualTo(Difference.SAME_TIMESTAMP_DIFFERENT_CONTENT);
        assertThat(f.winner()).isEqualTo(Side.ELASTICSEARCH);
        assertThat(f.kind().reason()).isEqualTo("tie-break");
    }

    @Test
    void an_unreadable_copy_loses_to_a_readable_one_and_shows_no_timestamp() {
        PairCheck.Found f = PairCheck.compare(copy(Side.CASSANDRA, T, "a"),
                SyncRecord.unusable(ID, Side.ELASTICSEARCH, null), Side.ELASTICSEARCH);
        assertThat(f.kind()).isEqualTo(Difference.NEWER_IN_CASSANDRA);
        assertThat(f.elasticsearchLastModified()).isNull();
    }
}

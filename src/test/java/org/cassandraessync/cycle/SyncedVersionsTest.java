package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncRecord.Stamp;
import org.junit.jupiter.api.Test;

class SyncedVersionsTest {

    private static final Instant T = Instant.parse("2026-12-01T12:00:00.123Z");

    private static SyncRecord copy(UUID id, Side side, Instant t, Stamp stamp) {
        return new SyncRecord(id, t, Map.of("name", "x"), side, stamp);
    }

    @Test
    void a_copy_read_again_with_the_same_timestamp_and_stamp_is_known() {
        SyncedVersions synced = new SyncedVersions(10);
        UUID id = UUID.randomUUID();
        synced.remember(copy(id, Side.ELASTICSEARCH, T, Stamp.elasticsearch(7, 1)));
        assertThat(synced.alreadySynced(copy(id, Side.ELASTICSEARCH, T, Stamp.elasticsearch(7, 1)))).isTrue();
        assertThat(synced.alreadySynced(Side.ELASTICSEARCH, id, T.toEpochMilli(), Stamp.elasticsearch(7, 1)))
                .as("from the metadata only").isTrue();
    }

    @Test
    void a_change_since_has_another_stamp_or_timestamp_and_is_decided_again() {
        SyncedVersions synced = new SyncedVersions(10);
        UUID id = UUID.randomUUID();
        synced.remember(copy(id, Side.CASSANDRA, T, Stamp.cassandra(1000)));
        assertThat(synced.alreadySynced(copy(id, Side.CASSANDRA, T, Stamp.cassandra(2000)))).isFalse();
        assertThat(synced.alreadySynced(copy(id, Side.CASSANDRA, T.plusMillis(1), Stamp.cassandra(1000)))).isFalse();
        assertThat(synced.alreadySynced(copy(id, Side.ELASTICSEARCH, T, Stamp.cassandra(1000))))
                .as("the other store's copy").isFalse();
    }

    @Test
    void a_copy_older_than_the_version_in_sync_is_a_stale_read_and_not_decided_again() {
        SyncedVersions synced = new SyncedVersions(10);
        UUID id = UUID.randomUUID();
        // this daemon wrote the newer version; a search not yet refreshed still returns the one before
        synced.remember(Side.ELASTICSEARCH, id, T, Stamp.elasticsearch(8, 2));
        assertThat(synced.alreadySynced(Side.ELASTICSEARCH, id, T.minusSeconds(3).toEpochMilli(),
                Stamp.elasticsearch(7, 2))).isTrue();
        assertThat(synced.alreadySynced(Side.ELASTICSEARCH, id, T.minusSeconds(3).toEpochMilli(),
                Stamp.elasticsearch(30, 1))).as("an earlier primary term").isTrue();
        assertThat(synced.alreadySynced(Side.ELASTICSEARCH, id, T.plusSeconds(1).toEpochMilli(),
                Stamp.elasticsearch(9, 2))).as("a later change").isFalse();
        synced.remember(Side.CASSANDRA, id, T, Stamp.cassandra(5_000));
        assertThat(synced.alreadySynced(Side.CASSANDRA, id, T.minusSeconds(3).toEpochMilli(), Stamp.cassandra(4_000)))
                .isTrue();
        assertThat(synced.alreadySynced(Side.CASSANDRA, id, T.plusSeconds(1).toEpochMilli(), Stamp.cassandra(6_000)))
                .isFalse();
    }

    @Test
    void copies_without_a_stamp_or_unusable_ones_are_never_known() {
        SyncedVersions synced = new SyncedVersions(10);
        UUID id = UUID.randomUUID();
        synced.remember(copy(id, Side.CASSANDRA, T, null));
        synced.remember(SyncRecord.unusable(id, Side.ELASTICSEARCH, Stamp.elasticsearch(1, 1)));
        assertThat(synced.alreadySynced(copy(id, Side.CASSANDRA, T, null))).isFalse();
        assertThat(synced.alreadySynced(SyncRecord.unusable(id, Side.ELASTICSEARCH, Stamp.elasticsearch(1, 1))))
                .isFalse();
    }

    @Test
    void a_refused_write_forgets_the_record_on_both_sides() {
        SyncedVersions synced = new SyncedVersions(10);
        UUID id = UUID.randomUUID();
        synced.remember(copy(id, Side.CASSANDRA, T, Stamp.cassandra(1)));
        synced.remember(copy(id, Side.ELASTICSEARCH, T, Stamp.elasticsearch(1, 1)));
        synced.forget(id);
        assertThat(synced.alreadySynced(copy(id, Side.CASSANDRA, T, Stamp.cassandra(1)))).isFalse();
        assertThat(synced.alreadySynced(copy(id, Side.ELASTICSEARCH, T, Stamp.elasticsearch(1, 1)))).isFalse();
    }

    @Test
    void beyond_its_capacity_the_oldest_versions_are_forgotten() {
        SyncedVersions synced = new SyncedVersions(2);
        UUID first = UUID.randomUUID();
        synced.remember(copy(first, Side.CASSANDRA, T, Stamp.cassandra(1)));
        synced.remember(copy(UUID.randomUUID(), Side.CASSANDRA, T, Stamp.cassandra(1)));
        synced.remember(copy(UUID.randomUUID(), Side.CASSANDRA, T, Stamp.cassandra(1)));
        assertThat(synced.alreadySynced(copy(first, Side.CASSANDRA, T, Stamp.cassandra(1)))).isFalse();
    }
}

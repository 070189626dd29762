package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * A cycle's Cassandra window is read over the timestamp index as several token ranges side by
 * side; together they must hand over each change of the window exactly once, in pages no larger
 * than the batch size, and nothing from outside it.
 */
class WindowReadIT {

    @Test
    void a_window_read_as_token_ranges_side_by_side_hands_over_each_change_once_in_pages_of_the_batch_size() {
        try (TestStores stores = TestStores.fresh("windowread")) {
            stores.createTable("name text");
            stores.createIndex(); // the record mapper reads its mapping
            stores.cql("CREATE INDEX ON " + stores.qualifiedTable() + " (last_modified) USING 'sai'");
            Instant checkpoint = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
            Duration overlap = Duration.ofSeconds(5);
            List<Object[]> rows = new ArrayList<>();
            // before the window: never read
            for (int i = 0; i < 300; i++) {
                rows.add(new Object[] {UUID.randomUUID(), checkpoint.minus(Duration.ofHours(1)), "old"});
            }
            // the re-read before the checkpoint: read by version, the content only of what is not in sync
            Set<UUID> inSync = new HashSet<>();
            Set<UUID> expected = new HashSet<>();
            for (int i = 0; i < 240; i++) {
                UUID id = UUID.randomUUID();
                (i % 3 == 0 ? expected : inSync).add(id);
                rows.add(new Object[] {id, checkpoint.minusMillis(4_000 - i), "re-read " + i});
            }
            // the fresh changes, their ids spread over the whole ring
            for (int i = 0; i < 2_345; i++) {
                UUID id = UUID.randomUUID();
                expected.add(id);
                rows.add(new Object[] {id, checkpoint.plusMillis(1 + i), "fresh " + i});
            }
            stores.insertInto("name").rows(rows);
            KnownVersions known = (side, id, millis, stamp) -> inSync.contains(id);
            SyncWindow window = new SyncWindow(checkpoint.minus(overlap), Instant.now().plusSeconds(1),
                    new SyncWindow.Range(checkpoint, checkpoint));

            Iterator<List<SyncRecord>> pages = stores.cassandraChanges(100).pages(window, known);
            List<UUID> handedOver = new ArrayList<>();
            int largest = 0;
            while (pages.hasNext()) {
                List<SyncRecord> page = pages.next();
                largest = Math.max(largest, page.size());
                page.forEach(r -> handedOver.add(r.id()));
            }

            assertThat(handedOver).as("each change of the window once").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(largest).as("records in the largest page").isBetween(1, 100);
        }
    }
}

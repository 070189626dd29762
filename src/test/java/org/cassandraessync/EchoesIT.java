package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import org.cassandraessync.pair.SyncPair;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * Under a steady load on both stores, every change is read with its content about once: the
 * daemon's own writes (echoes) and the versions its overlap reads again are recognised by their
 * metadata alone, and a change written while a cycle runs is left to the next cycle. By its
 * metadata each version is read twice, whatever the number of cycles in the overlap.
 */
class EchoesIT {

    private static final int PER_TICK = 5;
    private static final int TICKS = 60;
    private static final long TICK_NANOS = Duration.ofMillis(100).toNanos();

    @Test
    void under_a_steady_load_the_content_read_stays_within_1_3_times_the_changes_made_and_each_version_is_read_twice() {
        try (TestStores stores = TestStores.fresh("echoes")) {
            stores.createTable("name text, qty int");
            List<UUID> preloaded = new ArrayList<>();
            for (int i = 0; i < TICKS * PER_TICK; i++) {
                UUID id = UUID.randomUUID();
                preloaded.add(id);
                stores.insertInto("name", "qty")
                        .row(id, Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS), "preloaded", i);
            }
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                await("the preloaded rows in Elasticsearch").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> stores.document(preloaded.get(preloaded.size() - 1)).isPresent());
                daemon.awaitNextFullCycle();
                SyncPair pair = daemon.cycle();
                long before = pair.contentRead();
                long versionsBefore = versionsRead(pair);

                // 50 changes/s per side for 6 s: Cassandra inserts new rows and updates preloaded ones,
                // Elasticsearch gets new documents; each id changes once
                long changes = 0;
                long next = System.nanoTime();
                for (int tick = 0; tick < TICKS; tick++) {
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    for (int i = 0; i < PER_TICK; i++) {
                        UUID id = i % 2 == 0 ? UUID.randomUUID() : preloaded.get(tick * PER_TICK + i);
                        stores.insertInto("name", "qty").row(id, now, "cassandra " + tick, i);
                        stores.index(UUID.randomUUID(), Map.of("last_modified", now.toString(),
                                "name", "elasticsearch " + tick, "qty", i));
                        changes += 2;
                    }
                    next += TICK_NANOS;
                    LockSupport.parkNanos(next - System.nanoTime()); // the load's pace, not a wait for an outcome
                }
                long made = changes;
                await("every change on both stores").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .untilAsserted(stores::assertBothStoresHoldTheSameRecords);
                // the cycles that read the last copies back (the echoes), then re-read them in their
                // 5 s overlap: 14 more cycles of 500 ms
                long synced = daemon.awaitNextFullCycle().cycle();
                await("the overlap's cycles").atMost(Duration.ofSeconds(60))
                        .until(() -> daemon.lastCycle().cycle() >= synced + 14);

                long contentRead = pair.contentRead() - before;
                assertThat(contentRead).as("records read with content for %d changes", made)
                        .isGreaterThanOrEqualTo(made)
                        .isLessThanOrEqualTo((long) (made * 1.3));
                // each store holds each change once (its own or the copy of the other's), and each
                // version is read twice: fresh, then once more when it is as old as the overlap
                // (before, each of the overlap's 10 cycles read it again: about 30 per change measured)
                assertThat(versionsRead(pair) - versionsBefore).as("versions read by metadata for %d changes", made)
                        .isLessThanOrEqualTo((long) (made * 4.5));
            }
        }
    }

    private static long versionsRead(SyncPair pair) {
        return pair.totals().readCassandra() + pair.totals().readElasticsearch();
    }
}

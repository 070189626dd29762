package org.cassandraessync;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

class LateArrivalIT {

    @Test
    void records_stamped_before_the_checkpoint_but_inside_the_overlap_window_are_synced_both_ways() {
        try (TestStores stores = TestStores.fresh("late")) {
            stores.createTable("name text");
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                daemon.awaitNextFullCycle();
                // cycles run every 500 ms: the Cassandra checkpoint is now past `late`, within the overlap
                Instant late = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MILLIS);

                // a writer whose clock runs 2 s behind (or a write that became visible late)
                UUID id = UUID.randomUUID();
                stores.insertInto("name").row(id, late, "late");

                // the same on the other store: read again once it is as old as the overlap (5 s)
                UUID lateDocument = UUID.randomUUID();
                stores.index(lateDocument, java.util.Map.of("last_modified", late.toString(), "name", "late too"));

                await("late record in Elasticsearch").ignoreExceptions().atMost(Duration.ofSeconds(30))
                        .until(() -> stores.document(id).isPresent());
                await("late document in Cassandra").ignoreExceptions().atMost(Duration.ofSeconds(30))
                        .until(() -> stores.cassandraRow(lateDocument).isPresent());
                stores.assertBothStoresHoldTheSameRecords();
            }
        }
    }
}

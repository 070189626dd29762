package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.cassandraessync.support.PackagedJar;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged daemon killed with SIGKILL in the middle of a cycle, then started again. */
class RestartIT {

    private static final int ROWS = 5_000;

    @TempDir
    Path workDir;

    private Process startDaemon(TestStores stores, String log) {
        return PackagedJar.in(workDir).properties(stores.daemonProperties())
                .property("sync.state-dir", workDir.resolve("state").toString()).property("sync.batch-size", "50")
                .log(workDir.resolve(log)).start();
    }

    @Test
    void kill_9_in_the_middle_of_a_cycle_then_restart_converges_without_losing_or_regressing_anything()
            throws Exception {
        try (TestStores stores = TestStores.fresh("restart")) {
            stores.createTable("name text");
            stores.createIndex();
            List<UUID> ids = new ArrayList<>();
            List<Object[]> rows = new ArrayList<>();
            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < ROWS; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                rows.add(new Object[] {id, t, "v1"});
            }
            stores.insertInto("name").rows(rows);

            Process first = startDaemon(stores, "first.log");
            await("the first cycle under way").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> stores.count() > 0);
            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long copiedBeforeKill = stores.count();

            // while the daemon is down, some records change again in Cassandra
            Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<Object[]> changed = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                changed.add(new Object[] {ids.get(i), later, "v2"});
            }
            stores.insertInto("name").rows(changed);

            Process second = startDaemon(stores, "second.log");
            try {
                await("all records copied after the restart").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> stores.count() == ROWS
                                && stores.documentsWith(ids.subList(0, 100), "name", "v2") == 100);
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(copiedBeforeKill).as("killed mid-cycle").isLessThan(ROWS);
            stores.assertBothStoresHoldTheSameRecords();
        }
    }
}

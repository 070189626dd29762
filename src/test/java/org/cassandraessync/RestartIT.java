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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged daemon killed with SIGKILL in the middle of a cycle, then started again. */
class RestartIT {

    private static final int ROWS = 5_000;
    private static final Path JAR = Path.of(System.getProperty("app.jar", "target/cassandra-es-sync.jar"));

    @TempDir
    Path workDir;

    private Process startDaemon(TestStores stores, String log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m"));
        stores.daemonProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-Dsync.state-dir=" + workDir.resolve("state"));
        command.add("-Dsync.batch-size=50");
        command.add("-Dcamel.management.port=" + org.cassandraessync.support.RunningDaemon.freePort());
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(log).toFile()).start();
    }

    private static long documents(TestStores stores) throws Exception {
        stores.refresh();
        return stores.elasticsearch().count(c -> c.index(stores.index())).count();
    }

    @Test
    void kill_9_in_the_middle_of_a_cycle_then_restart_converges_without_losing_or_regressing_anything()
            throws Exception {
        try (TestStores stores = TestStores.fresh("restart")) {
            stores.createTable("name text");
            stores.createIndex();
            PreparedStatement insert = stores.cassandra().prepare("INSERT INTO " + stores.qualifiedTable()
                    + " (id, last_modified, name) VALUES (?, ?, ?)");
            List<UUID> ids = new ArrayList<>();
            List<CompletableFuture<?>> writes = new ArrayList<>();
            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < ROWS; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                writes.add(stores.cassandra().executeAsync(insert.bind(id, t, "v1")).toCompletableFuture());
                if (writes.size() == 256) {
                    writes.forEach(CompletableFuture::join);
                    writes.clear();
                }
            }
            writes.forEach(CompletableFuture::join);

            Process first = startDaemon(stores, "first.log");
            await("the first cycle under way").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> documents(stores) > 0);
            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long copiedBeforeKill = documents(stores);

            // while the daemon is down, some records change again in Cassandra
            Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < 100; i++) {
                stores.cassandra().execute(insert.bind(ids.get(i), later, "v2"));
            }

            Process second = startDaemon(stores, "second.log");
            try {
                await("all records copied after the restart").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> documents(stores) == ROWS
                                && "v2".equals(stores.document(ids.get(0)).orElseThrow().get("name"))
                                && "v2".equals(stores.document(ids.get(99)).orElseThrow().get("name")));
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(copiedBeforeKill).as("killed mid-cycle").isLessThan(ROWS);
            stores.assertBothStoresHoldTheSameRecords();
        }
    }
}

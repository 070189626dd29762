package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run the way an operator runs it: {@code java -jar} in a folder without
 * {@code application.properties} or {@code routes/} (so the copies inside the jar are used), the
 * stores given by {@code -D} options and environment variables, no sandbox started by the jar.
 */
class StandaloneJarIT {

    private static final Path JAR = Path.of(System.getProperty("app.jar", "target/cassandra-es-sync.jar"));

    @TempDir
    Path workDir;

    @Test
    void jar_syncs_already_running_stores_configured_by_system_properties_and_environment() throws Exception {
        try (TestStores stores = TestStores.fresh("jar")) {
            stores.createTable("name text");
            List<String> command = java();
            stores.daemonProperties().forEach((k, v) -> {
                if (!k.equals("sync.elasticsearch.index")) {
                    command.add("-D" + k + "=" + v);
                }
            });
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("daemon.log").toFile());
            // Camel's environment form of sync.elasticsearch.index
            pb.environment().put("SYNC_ELASTICSEARCH_INDEX", stores.index());
            Process daemon = pb.start();
            try {
                UUID id = UUID.randomUUID();
                stores.cql("INSERT INTO " + stores.qualifiedTable() + " (id, last_modified, name) VALUES (?, ?, ?)",
                        id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "from the jar");
                await("document " + id + " in Elasticsearch index " + stores.index()).ignoreExceptions()
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .failFast("daemon exited: " + log(), () -> !daemon.isAlive())
                        .until(() -> stores.document(id).map(d -> d.get("name")).orElse(null), "from the jar"::equals);
            } finally {
                daemon.destroy();
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
            }
            assertThat(log()).contains("Routes startup").doesNotContain("Starting sandbox");
        }
    }

    @Test
    void two_pairs_declared_in_the_application_properties_beside_the_jar_sync_independently() throws Exception {
        try (TestStores orders = TestStores.fresh("jar_orders"); TestStores invoices = TestStores.fresh("jar_invoices")) {
            orders.createTable("name text");
            invoices.createTable("name text");
            StringBuilder file = new StringBuilder("sync.period=500ms\n");
            int n = 0;
            for (TestStores pair : List.of(orders, invoices)) {
                String key = "camel.route-template[" + n++ + "].";
                file.append(key).append("template-id=cassandra-es-sync\n")
                        .append(key).append("pair=").append(pair.keyspace()).append('\n')
                        .append(key).append("keyspace=").append(pair.keyspace()).append('\n')
                        .append(key).append("table=records\n")
                        .append(key).append("index=").append(pair.index()).append('\n');
            }
            Files.writeString(workDir.resolve("application.properties"), file);
            List<String> command = java();
            orders.sandbox().connectionProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
            Process daemon = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("daemon.log").toFile()).start();
            try {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                UUID order = UUID.randomUUID();
                orders.cql("INSERT INTO " + orders.qualifiedTable() + " (id, last_modified, name) VALUES (?, ?, ?)",
                        order, now, "order");
                UUID invoice = UUID.randomUUID();
                invoices.index(invoice, java.util.Map.of("last_modified",
                        org.cassandraessync.record.Timestamps.format(now), "name", "invoice"));
                await("both pairs synced by the jar").ignoreExceptions().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250)).failFast("daemon exited", () -> !daemon.isAlive())
                        .until(() -> orders.document(order).isPresent() && invoices.cassandraRow(invoice).isPresent());
                assertThat(orders.document(order).orElseThrow()).doesNotContainKey("invoice");
                assertThat(invoices.document(order)).isEmpty();
            } finally {
                daemon.destroy();
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
            }
            assertThat(log()).contains(orders.keyspace() + " cycle", invoices.keyspace() + " cycle")
                    .doesNotContain("No pair declared");
            assertThat(workDir.resolve("state").resolve("checkpoint-" + orders.keyspace() + ".json")).exists();
        }
    }

    @Test
    void invalid_setting_fails_startup_with_a_message_naming_the_key() throws Exception {
        List<String> command = java();
        command.addAll(List.of("-Dsync.period=soon", "-Dsync.cassandra.contact-points=nowhere", "-jar",
                JAR.toAbsolutePath().toString()));
        Process daemon = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("daemon.log").toFile()).start();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon exits").isTrue();
        assertThat(daemon.exitValue()).isEqualTo(1);
        assertThat(log())
                .contains("sync.period = 'soon'")
                .contains("sync.cassandra.contact-points = 'nowhere'")
                .contains("did not start");
    }

    private static List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    }

    private String log() throws IOException {
        Path log = workDir.resolve("daemon.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

}

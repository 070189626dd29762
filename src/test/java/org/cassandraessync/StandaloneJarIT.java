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

    @Test
    void passwords_given_by_system_properties_appear_in_no_log_line_health_or_metrics_output() throws Exception {
        String cassandraSecret = "c4ss-" + UUID.randomUUID();
        String elasticsearchSecret = "el4s-" + UUID.randomUUID();
        try (TestStores stores = TestStores.fresh("jar_secrets")) {
            stores.createTable("name text");
            int port = org.cassandraessync.support.RunningDaemon.freePort();
            List<String> command = java();
            stores.daemonProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
            // the sandbox does not ask for credentials: the driver and the client send them anyway
            command.addAll(List.of("-Dsync.cassandra.username=sync", "-Dsync.cassandra.password=" + cassandraSecret,
                    "-Dsync.elasticsearch.username=sync", "-Dsync.elasticsearch.password=" + elasticsearchSecret,
                    "-Dcamel.management.port=" + port, "-jar", JAR.toAbsolutePath().toString()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("daemon.log").toFile());
            pb.environment().put("SYNC_LOG_LEVEL", "DEBUG");
            Process daemon = pb.start();
            String endpoints;
            try {
                UUID id = UUID.randomUUID();
                stores.cql("INSERT INTO " + stores.qualifiedTable() + " (id, last_modified, name) VALUES (?, ?, ?)",
                        id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "with credentials");
                await("synced with credentials set").ignoreExceptions().atMost(Duration.ofSeconds(60))
                        .failFast("daemon exited: " + log(), () -> !daemon.isAlive())
                        .until(() -> stores.document(id).isPresent());
                await("a cycle that changed nothing, logged at DEBUG (SYNC_LOG_LEVEL)").atMost(Duration.ofSeconds(30))
                        .until(() -> log().lines().anyMatch(l -> l.contains(" DEBUG ") && l.contains("default cycle")
                                && l.contains("written 0 | elasticsearch→cassandra read 0 written 0")));
                endpoints = org.cassandraessync.support.Http.get(java.net.URI.create("http://127.0.0.1:" + port
                        + "/observe/health")).body() + org.cassandraessync.support.Http.get(java.net.URI.create(
                                "http://127.0.0.1:" + port + "/observe/metrics")).body();
            } finally {
                daemon.destroy();
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
            }
            assertThat(endpoints).contains("cassandra-es-sync-default", "cassandra_es_sync_records_written_total");
            assertThat(log() + endpoints).doesNotContain(cassandraSecret).doesNotContain(elasticsearchSecret);

            // a configuration error that involves a password names the key, never the value
            List<String> bad = java();
            bad.addAll(List.of("-Dsync.period=abc", "-Dsync.elasticsearch.password=" + elasticsearchSecret, "-jar",
                    JAR.toAbsolutePath().toString()));
            Process refused = new ProcessBuilder(bad).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("daemon.log").toFile()).start();
            assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).isEqualTo(1);
            assertThat(log()).contains("sync.period = 'abc': expected a duration such as 500ms, 5s")
                    .contains("sync.elasticsearch.password is set but sync.elasticsearch.username is empty")
                    .doesNotContain(elasticsearchSecret);
        }
    }

    @Test
    void verify_from_the_jar_exits_0_when_the_stores_agree_1_when_they_differ_and_2_on_error() throws Exception {
        try (TestStores stores = TestStores.fresh("jar_verify")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.cql("INSERT INTO " + stores.qualifiedTable() + " (id, last_modified, name) VALUES (?, ?, ?)",
                    id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "one");
            List<String> command = java();
            stores.daemonProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));

            assertThat(runToEnd(command, "verify")).isEqualTo(1);
            assertThat(log()).contains("missing in Elasticsearch", id.toString())
                    .as("the command's output, not Camel's start-up lines").doesNotContain("Routes startup");
            assertThat(runToEnd(command, "verify", "--repair", "--output", "report.json")).isEqualTo(1);
            assertThat(workDir.resolve("report.json")).content().contains(id.toString(), "missing_in_elasticsearch");
            assertThat(runToEnd(command, "verify")).isZero();
            assertThat(log()).contains("the stores agree");
            assertThat(runToEnd(command, "verify", "--pair", "nosuch")).isEqualTo(2);
            assertThat(log()).contains("verify failed: no pair named 'nosuch'");
        }
    }

    /** Runs the jar with {@code args} to its end; answers the exit code (its output in daemon.log). */
    private int runToEnd(List<String> command, String... args) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        Process p = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("daemon.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args) + " ends").isTrue();
        return p.exitValue();
    }

    /** {@code java -Xmx256m}, the management server on a free port (a later {@code -D} of the same key wins). */
    private static List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dcamel.management.port=" + org.cassandraessync.support.RunningDaemon.freePort()));
    }

    private String log() throws IOException {
        Path log = workDir.resolve("daemon.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

}

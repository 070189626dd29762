package org.cassandraessync.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.sandbox.FreePorts;
import org.cassandraessync.support.Http;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * The library inside a Spring Boot application (src/it/spring-boot): the application declares
 * camel-spring-boot-starter, camel-yaml-dsl-starter and cassandra-es-sync as ordinary Maven
 * dependencies, loads the route template from the library jar and runs one pair from it. The
 * test installs the library jar built here into the local Maven repository, builds the
 * application with Maven, runs its jar and syncs both ways through it; Spring Boot's Actuator shows
 * the pairs' readiness and the scheduler's liveness in its probe groups, and the sync meters.
 */
class SpringBootIT {

    private static final Path APP = Path.of("src", "it", "spring-boot");

    @Test
    void a_spring_boot_application_with_the_library_as_a_dependency_runs_a_pair_from_the_template() throws Exception {
        Path jar = buildApplication();
        try (TestStores products = TestStores.fresh("spring_products")) {
            products.createTable("name text");
            Map<String, String> properties = new LinkedHashMap<>(products.sandbox().connectionProperties());
            properties.put("products.keyspace", products.keyspace());
            properties.put("products.table", products.table());
            properties.put("products.index", products.index());
            properties.put("sync.state-dir", products.stateDir().toAbsolutePath().toString());
            int port = FreePorts.next();
            properties.put("server.port", String.valueOf(port));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            UUID fromCassandra = UUID.randomUUID();
            products.insertInto("name").row(fromCassandra, now, "kettle");
            UUID fromElasticsearch = UUID.randomUUID();
            products.index(fromElasticsearch, Map.of("last_modified", Timestamps.format(now), "name", "teapot"));

            try (DaemonProcess app = DaemonProcess.start(jar, "512m", List.of(), properties,
                    Path.of("target", "it-spring-boot", products.keyspace()).toAbsolutePath())) {
                await("both directions through the Spring Boot application").atMost(Duration.ofSeconds(120))
                        .ignoreExceptions().until(() -> products.document(fromCassandra).isPresent()
                                && products.cassandraRow(fromElasticsearch).isPresent());
                assertThat(products.document(fromCassandra).orElseThrow()).containsEntry("name", "kettle");
                assertThat(products.cassandraRow(fromElasticsearch).orElseThrow().getString("name")).isEqualTo("teapot");

                Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                products.cql("UPDATE " + products.qualifiedTable() + " SET last_modified = ?, name = ? WHERE id = ?",
                        later, "teapot, blue", fromElasticsearch);
                await("a change made later follows").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> "teapot, blue".equals(products.document(fromElasticsearch).orElseThrow().get("name")));

                // Actuator: the pairs' readiness and the scheduler's liveness in the probe groups, the meters
                URI actuator = URI.create("http://127.0.0.1:" + port + "/actuator/");
                await("readiness UP once the pair has synced").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> Http.get(actuator.resolve("health/readiness")).status() == 200);
                Http.Answer liveness = Http.get(actuator.resolve("health/liveness"));
                assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
                assertThat(liveness.body()).contains("\"camelLivenessState\"");
                await("the sync meters in /actuator/prometheus").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(Http.get(actuator.resolve("prometheus")).body())
                                .containsPattern("cassandra_es_sync_records_written_total\\{[^}]*pair=\"products\"[^}]*\\} [1-9]")
                                .containsPattern("cassandra_es_sync_lag_seconds_bucket\\{[^}]*pair=\"products\"")
                                .contains("cassandra_es_sync_ready{").contains("cassandra_es_sync_leader{"));

                products.sandbox().freeze("elasticsearch");
                try {
                    await("readiness DOWN while Elasticsearch is frozen").atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(500)).until(() -> Http.get(actuator.resolve("health/readiness"),
                                    Duration.ofSeconds(10)).status() == 503);
                    Http.Answer readiness = Http.get(actuator.resolve("health/readiness"), Duration.ofSeconds(10));
                    assertThat(readiness.body()).as("the Camel readiness state is what refuses traffic")
                            .contains("\"camelReadinessState\"");
                    assertThat(Http.get(actuator.resolve("health/liveness"), Duration.ofSeconds(10)).status())
                            .as("a store down is not a liveness problem").isEqualTo(200);
                } finally {
                    products.sandbox().thaw("elasticsearch");
                }
                await("readiness UP again once Elasticsearch answers").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> Http.get(actuator.resolve("health/readiness")).status() == 200);

                String log = Files.readString(app.log());
                assertThat(log).as("Spring Boot started the application").contains("Started SyncOnSpringBoot");
                assertThat(app.cycles()).as("the pair's cycles, logged as in the daemon")
                        .anyMatch(c -> c.pair().equals("products"));
            }
            assertThat(products.stateDir().resolve("checkpoint-products.json")).exists();
        }
    }

    /** Installs the library jar of this build, then builds the application's jar with Maven. */
    private static Path buildApplication() throws IOException, InterruptedException {
        Path buildDir = Path.of("target", "it-spring-boot", "app").toAbsolutePath();
        String version = System.getProperty("project.version");
        maven(List.of("install:install-file", "-Dfile=" + System.getProperty("library.jar"),
                "-DpomFile=" + Path.of("pom.xml").toAbsolutePath()), Path.of("."));
        maven(List.of("-f", APP.resolve("pom.xml").toAbsolutePath().toString(), "package",
                "-Dcassandra-es-sync.version=" + version, "-Dapp.build.dir=" + buildDir), APP);
        Path jar = buildDir.resolve("cassandra-es-sync-on-spring-boot-1.0.jar");
        assertThat(jar).as("the Spring Boot application's jar").exists();
        return jar;
    }

    private static void maven(List<String> arguments, Path directory) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-ntp", "-Dmaven.repo.local=" + System.getProperty("maven.repo.local")));
        command.addAll(arguments);
        Path log = Path.of("target", "it-spring-boot", "maven.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("Maven did not finish within 10 minutes: " + command + "; see " + log);
        }
        assertThat(process.exitValue()).as("mvn " + arguments + " (log: " + log + ")").isZero();
    }
}

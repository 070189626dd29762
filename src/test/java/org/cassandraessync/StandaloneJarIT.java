package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.sandbox.FreePorts;
import org.cassandraessync.support.CassandraInsert;
import org.cassandraessync.support.Http;
import org.cassandraessync.support.PackagedJar;
import org.cassandraessync.support.ReadmeExample;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run the way an operator runs it: {@code java -jar} in a folder of its own (its
 * {@code application.properties} and {@code routes/}, when there, on top of the jar's), the
 * stores given by {@code -D} options and environment variables, no sandbox started by the jar.
 */
class StandaloneJarIT {

    @TempDir
    Path workDir;

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
            Process daemon = PackagedJar.in(workDir).properties(orders.sandbox().connectionProperties()).start();
            try {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                UUID order = UUID.randomUUID();
                orders.insertInto("name").row(order, now, "order");
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
    void invalid_settings_fail_startup_with_a_message_naming_each_key_and_never_a_password() throws Exception {
        String secret = "el4s-" + UUID.randomUUID();
        int exit = PackagedJar.in(workDir).property("sync.period", "soon")
                .property("sync.cassandra.contact-points", "nowhere")
                .property("sync.elasticsearch.password", secret).runToEnd(Duration.ofSeconds(60));
        assertThat(exit).as("exit code 2: an error").isEqualTo(2);
        assertThat(log())
                .contains("sync.period = 'soon': expected a duration such as 500ms, 5s")
                .contains("sync.cassandra.contact-points = 'nowhere'")
                .contains("sync.elasticsearch.password is set but sync.elasticsearch.username is empty")
                .contains("did not start")
                .doesNotContain(secret);
    }

    @Test
    void jar_syncs_running_stores_configured_by_system_properties_and_environment_and_logs_no_password()
            throws Exception {
        String cassandraSecret = "c4ss-" + UUID.randomUUID();
        String elasticsearchSecret = "el4s-" + UUID.randomUUID();
        try (TestStores stores = TestStores.fresh("jar")) {
            stores.createTable("name text");
            PackagedJar jar = PackagedJar.in(workDir).properties(stores.daemonProperties())
                    .withoutProperty("sync.elasticsearch.index")
                    // Camel's environment form of sync.elasticsearch.index
                    .environment("SYNC_ELASTICSEARCH_INDEX", stores.index())
                    // the sandbox does not ask for credentials: the driver and the client send them anyway
                    .property("sync.cassandra.username", "sync").property("sync.cassandra.password", cassandraSecret)
                    .property("sync.elasticsearch.username", "sync")
                    .property("sync.elasticsearch.password", elasticsearchSecret)
                    .environment("SYNC_LOG_LEVEL", "DEBUG");
            Process daemon = jar.start();
            String endpoints;
            try {
                UUID id = UUID.randomUUID();
                stores.insertInto("name").row(id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "from the jar");
                await("document " + id + " in Elasticsearch index " + stores.index()).ignoreExceptions()
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .failFast("daemon exited: " + log(), () -> !daemon.isAlive())
                        .until(() -> stores.document(id).map(d -> d.get("name")).orElse(null), "from the jar"::equals);
                await("a cycle that changed nothing, logged at DEBUG (SYNC_LOG_LEVEL)").atMost(Duration.ofSeconds(30))
                        .until(() -> log().lines().anyMatch(l -> l.contains(" DEBUG ") && l.contains("default cycle")
                                && l.contains("written 0 | elasticsearch→cassandra read 0 written 0")));
                endpoints = Http.get(jar.management("/observe/health")).body()
                        + Http.get(jar.management("/observe/metrics")).body();
            } finally {
                daemon.destroy();
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
            }
            assertThat(log()).contains("Routes startup").doesNotContain("Starting sandbox");
            assertThat(endpoints).contains("cassandra-es-sync-default", "cassandra_es_sync_records_written_total");
            assertThat(log() + endpoints).doesNotContain(cassandraSecret).doesNotContain(elasticsearchSecret);
        }
    }

    @Test
    void verify_from_the_jar_exits_0_when_the_stores_agree_1_when_they_differ_and_2_on_error() throws Exception {
        try (TestStores stores = TestStores.fresh("jar_verify")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.insertInto("name").row(id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "one");
            PackagedJar jar = PackagedJar.in(workDir).properties(stores.daemonProperties());
            Duration limit = Duration.ofSeconds(120);

            assertThat(jar.runToEnd(limit, "verify")).isEqualTo(1);
            assertThat(log()).contains("missing in Elasticsearch", id.toString())
                    .as("the command's output, not Camel's start-up lines").doesNotContain("Routes startup");
            assertThat(jar.runToEnd(limit, "verify", "--repair", "--output", "report.json")).isEqualTo(1);
            assertThat(workDir.resolve("report.json")).content().contains(id.toString(), "missing_in_elasticsearch");
            assertThat(jar.runToEnd(limit, "verify")).isZero();
            assertThat(log()).containsPattern("differences +0: the stores agree");
            // an error (VerifyIT: a pair that does not exist; here an option, refused before connecting)
            assertThat(jar.runToEnd(limit, "verify", "--colour")).isEqualTo(2);
            assertThat(log()).contains("Unknown option: '--colour'", "Usage: java -jar cassandra-es-sync.jar verify");
        }
    }

    @Test
    void help_version_and_config_answer_from_an_empty_folder_without_any_store() throws Exception {
        PackagedJar jar = PackagedJar.in(workDir);
        Duration limit = Duration.ofSeconds(60);
        assertThat(jar.runToEnd(limit, "--help")).isZero();
        assertThat(log()).contains("Usage: java -jar cassandra-es-sync.jar", "check ", "config ", "Exit codes:")
                .doesNotContain("routerBuilderClasses");
        assertThat(jar.runToEnd(limit, "--version")).isZero();
        assertThat(log()).contains("Apache Camel 4.14.0", "Cassandra Java driver", "Elasticsearch Java client");

        // one key in each place the daemon reads: the folder's application.properties, -D, the environment
        Files.writeString(workDir.resolve("application.properties"), "sync.period=7s\nsync.batch-size=100\n");
        PackagedJar config = PackagedJar.in(workDir).property("sync.tie-breaker", "elasticsearch")
                .property("sync.batch-size", "200").property("sync.elasticsearch.username", "sync")
                .property("sync.elasticsearch.password", "pw-never-shown")
                .environment("SYNC_BATCH_SIZE", "500").environment("SYNC_OVERLAP", "9s");
        assertThat(config.runToEnd(limit, "config")).isZero();
        assertThat(log()).doesNotContain("pw-never-shown")
                .containsPattern("sync\\.period +7s +application\\.properties")
                .containsPattern("sync\\.tie-breaker +elasticsearch +-D")
                .containsPattern("sync\\.batch-size +500 +environment \\(SYNC_BATCH_SIZE\\)")
                .containsPattern("sync\\.overlap +9s +environment \\(SYNC_OVERLAP\\)")
                .containsPattern("sync\\.elasticsearch\\.password +\\*\\*\\*\\* +-D")
                .containsPattern("sync\\.state-dir +state +default");

        // a value the daemon would refuse: the table still shows, then the key that would stop it
        assertThat(PackagedJar.in(workDir).property("sync.period", "soon").runToEnd(limit, "config")).isEqualTo(2);
        assertThat(log()).containsPattern("sync\\.period +soon +-D")
                .contains("The daemon would not start: invalid configuration:", "sync.period = 'soon'");
    }

    @Test
    void check_names_a_store_that_refuses_the_connection_and_one_that_hangs_in_a_line_each() throws Exception {
        // a port nobody listens on, and one that accepts connections and never answers (a hung process)
        int refusing = FreePorts.next();
        try (ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                while (!hanging.isClosed()) {
                    try {
                        held.add(hanging.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            int exit = PackagedJar.in(workDir).property("sync.cassandra.contact-points", "127.0.0.1:" + refusing)
                    .property("sync.elasticsearch.hosts", "http://127.0.0.1:" + hanging.getLocalPort())
                    .runToEnd(Duration.ofSeconds(90), "check");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exit).as("a check failed").isEqualTo(1);
            assertThat(log()).containsPattern("✘ Cassandra answers .*no contact point answered: 127\\.0\\.0\\.1:"
                    + refusing + " refused or closed the connection")
                    .containsPattern("✘ Elasticsearch answers .*:" + hanging.getLocalPort() + ".*did not answer in time")
                    .contains("fix:                      check the address, the port and that the store runs and answers")
                    .doesNotContain("getAllErrors", "http-outgoing");
            assertThat(took).as("the hung store is told after the check's 10 s, not the client's 30 s")
                    .isLessThan(Duration.ofSeconds(28));
        }
    }

    /**
     * The README's "Adding a step to the flow", done exactly as it says in a folder of its own:
     * {@code application.properties} holding the one key it names, the integrator's route in
     * {@code routes/to-elasticsearch.yaml}. The jar's route template and its other settings (the
     * health endpoint among them) stay; the route masks and filters what reaches Elasticsearch in
     * the sync and in {@code verify --repair}, and {@code verify} counts a masked or stopped copy as
     * shaped by the route, not as a difference. Every field of its JSON is documented.
     */
    @Test
    void the_readmes_step_example_runs_as_written_in_a_folder_of_its_own_for_the_sync_and_for_verify()
            throws Exception {
        try (TestStores stores = TestStores.fresh("jar_step")) {
            stores.createTable("name text", "status text", "email text");
            Files.writeString(workDir.resolve("application.properties"),
                    "sync.to-elasticsearch=direct:to-elasticsearch\n");
            Files.createDirectories(workDir.resolve("routes"));
            Files.writeString(workDir.resolve("routes").resolve("to-elasticsearch.yaml"),
                    ReadmeExample.integratorsRoute());
            PackagedJar jar = PackagedJar.in(workDir).properties(stores.daemonProperties())
                    .withoutProperty("sync.state-dir");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            CassandraInsert insert = stores.insertInto("name", "status", "email");
            UUID published = UUID.randomUUID();
            UUID draft = UUID.randomUUID();
            insert.row(published, now, "lamp", "published", "ada@example.com");
            insert.row(draft, now, "chair", "draft", "bob@example.com");

            Process daemon = jar.start();
            try {
                await("the published record in Elasticsearch, masked").ignoreExceptions()
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .failFast("daemon exited: " + log(), () -> !daemon.isAlive())
                        .until(() -> stores.document(published).map(d -> d.get("email")).orElse(null), "***"::equals);
                assertThat(Http.get(jar.management("/observe/health")).status())
                        .as("the jar's settings under the folder's one key: the health endpoint serves").isEqualTo(200);
            } finally {
                daemon.destroy();
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
            }
            assertThat(stores.document(draft)).as("the draft, stopped by the route").isEmpty();
            assertThat(log())
                    .contains("Route template cassandra-es-sync: the jar's (classpath:routes/cassandra-es-sync.yaml)");

            Duration limit = Duration.ofSeconds(120);
            assertThat(jar.runToEnd(limit, "verify", "--output", "agree.json")).as(log()).isZero();
            assertThat(log()).containsPattern("as your steps shape them \\(no difference\\) +2")
                    .containsPattern("differences +0: the stores agree");

            // rows the sync never saw (behind its checkpoint): verify --repair sends them through the route
            UUID repairedPublished = UUID.randomUUID();
            UUID repairedDraft = UUID.randomUUID();
            insert.row(repairedPublished, now.minusSeconds(3600), "desk", "published", "cy@example.com");
            insert.row(repairedDraft, now.minusSeconds(3600), "stool", "draft", "di@example.com");
            assertThat(jar.runToEnd(limit, "verify", "--repair", "--output", "repair.json")).as(log()).isEqualTo(1);
            JsonNode repair = new ObjectMapper().readTree(workDir.resolve("repair.json").toFile());
            JsonNode summary = repair.path("pairs").path(0).path("summary");
            assertThat(summary.path("missing_in_elasticsearch").asLong()).as(summary.toString()).isEqualTo(1);
            assertThat(summary.path("shaped_by_your_steps").asLong()).as(summary.toString()).isEqualTo(3);
            assertThat(summary.path("repaired").asLong()).as(summary.toString()).isEqualTo(1);
            stores.refresh();
            assertThat(stores.document(repairedPublished).orElseThrow()).containsEntry("email", "***");
            assertThat(stores.document(repairedDraft)).as("a draft, stopped in a repair too").isEmpty();
            assertThat(jar.runToEnd(limit, "verify")).as("after the repair, the stores agree: " + log()).isZero();
            assertThat(log()).containsPattern("as your steps shape them \\(no difference\\) +4");

            String operations = Files.readString(Path.of("docs", "operations.md"));
            assertThat(fieldNames(repair)).as("every field verify writes, documented in docs/operations.md")
                    .allSatisfy(field -> assertThat(operations).contains("| `" + field + "` |"));
        }
    }

    /**
     * A working folder's {@code routes/cassandra-es-sync.yaml} replaces the jar's template, and the
     * log says so; a copy that is not the template stops the daemon and the commands with a line
     * that says where the daemon looked and what to do.
     */
    @Test
    void a_template_in_the_folders_routes_replaces_the_jars_and_a_file_there_that_is_none_is_named_with_the_fix()
            throws Exception {
        Path routes = Files.createDirectories(workDir.resolve("routes"));
        Files.writeString(routes.resolve("cassandra-es-sync.yaml"), ReadmeExample.integratorsRoute());
        Duration limit = Duration.ofSeconds(60);
        PackagedJar jar = PackagedJar.in(workDir)
                .property("sync.cassandra.contact-points", "127.0.0.1:" + FreePorts.next())
                .property("sync.elasticsearch.hosts", "http://127.0.0.1:" + FreePorts.next());
        for (String[] command : List.of(new String[0], new String[] {"verify"})) {
            assertThat(jar.runToEnd(limit, command)).as(log()).isEqualTo(2);
            assertThat(log()).contains("no route template 'cassandra-es-sync' among the routes loaded from"
                    + " file:routes/*.yaml (in " + workDir.toAbsolutePath() + ")",
                    "unzip -p cassandra-es-sync.jar routes/cassandra-es-sync.yaml")
                    .doesNotContain("Cannot find RouteTemplate");
        }

        Files.copy(Path.of("routes", "cassandra-es-sync.yaml"), routes.resolve("cassandra-es-sync.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Process daemon = jar.start();
        try {
            await("the daemon says which template its pairs use").atMost(limit)
                    .failFast("daemon exited: " + log(), () -> !daemon.isAlive())
                    .until(() -> log().contains("Route template cassandra-es-sync: file:routes/cassandra-es-sync.yaml,"
                            + " in place of the jar's"));
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
        }
    }

    /** Every field name in a JSON document, nested ones included. */
    private static java.util.Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                names.add(f.getKey());
                names.addAll(fieldNames(f.getValue()));
            });
        } else if (node.isArray()) {
            node.forEach(n -> names.addAll(fieldNames(n)));
        }
        return names;
    }

    private String log() throws IOException {
        Path log = workDir.resolve("daemon.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

}

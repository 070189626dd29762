package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.ReadmeExample;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.CassandraInsert;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/** Several table ↔ index pairs in one daemon, declared the two ways the README and docs/pairs.md show. */
class PairsIT {

    private static final Path WORK = Path.of("target", "it-routes");

    /** Declares a pair with Camel's own camel.route-template[id].* properties. */
    private static void declare(Map<String, String> properties, String pair, TestStores stores) {
        properties.putAll(stores.pairDeclaration(pair));
    }

    /** The shipped template plus the given YAML file, as an integrator's routes folder. */
    private static String routesWith(String name, String yaml) throws IOException {
        Path dir = WORK.resolve(name + "-" + System.nanoTime());
        Files.createDirectories(dir);
        Files.copy(Path.of("routes", "cassandra-es-sync.yaml"), dir.resolve("cassandra-es-sync.yaml"));
        Files.writeString(dir.resolve(name + ".yaml"), yaml);
        return "file:" + dir + "/*.yaml";
    }

    private static UUID insert(TestStores stores, String name, Instant at) {
        UUID id = UUID.randomUUID();
        stores.insertInto("name").row(id, at,
                name);
        return id;
    }

    private static UUID indexDocument(TestStores stores, String name, Instant at) {
        UUID id = UUID.randomUUID();
        stores.index(id, Map.of("last_modified", Timestamps.format(at), "name", name));
        return id;
    }

    @Test
    void two_pairs_from_properties_and_one_from_yaml_sync_independently_while_a_broken_pair_fails_alone()
            throws IOException {
        try (TestStores products = TestStores.fresh("pair_products");
                TestStores customers = TestStores.fresh("pair_customers");
                TestStores logs = TestStores.fresh("pair_logs")) {
            for (TestStores s : List.of(products, customers, logs)) {
                s.createTable("name text");
            }
            Map<String, String> properties = new HashMap<>(products.daemonProperties());
            declare(properties, "products", products);
            declare(properties, "customers", customers);
            // a pair whose table does not exist and may not be created: its cycles fail, nobody else's
            declare(properties, "broken", products);
            properties.put("camel.route-template[broken].table", "no_such_table");
            properties.put("camel.route-template[broken].create-schema", "false");
            properties.put("camel.main.routes-include-pattern", routesWith("logs-pair", """
                    - templatedRoute:
                        routeTemplateRef: cassandra-es-sync
                        routeId: logs
                        parameters:
                          - name: pair
                            value: logs
                          - name: keyspace
                            value: %s
                          - name: table
                            value: records
                          - name: index
                            value: %s
                          - name: period
                            value: 700ms
                    """.formatted(logs.keyspace(), logs.index())));

            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try (RunningDaemon daemon = RunningDaemon.start(properties)) {
                UUID product = insert(products, "lamp", now);
                UUID customer = indexDocument(customers, "Ada", now);
                UUID logLine = insert(logs, "GET /", now);

                await("each pair syncs its own table and index").ignoreExceptions().atMost(Duration.ofSeconds(60))
                        .until(() -> products.document(product).isPresent()
                                && customers.cassandraRow(customer).isPresent() && logs.document(logLine).isPresent());
                assertThat(customers.document(product)).as("a product in the customers index").isEmpty();
                assertThat(logs.cassandraRow(customer)).as("a customer in the logs table").isEmpty();

                await("the broken pair's cycles fail").atMost(Duration.ofSeconds(60))
                        .until(() -> daemon.pair("broken").lastCycle() != null
                                && daemon.pair("broken").lastCycle().failed());
                for (String pair : List.of("products", "customers", "logs")) {
                    assertThat(daemon.pair(pair).lastCycle().failed()).as(pair + " cycles").isFalse();
                }
                assertThat(daemon.pair("products").totals().writtenElasticsearch()).isEqualTo(1);
                assertThat(daemon.pair("customers").totals().writtenCassandra()).isEqualTo(1);
                assertThat(daemon.context().getRoute("logs")).as("route id from the YAML declaration").isNotNull();
                assertThat(daemon.context().getRoute("products")).as("route id from the properties").isNotNull();
                assertThat(daemon.context().getRoute("default")).as("no default pair beside declared ones").isNull();
            }
            Path state = products.stateDir();
            assertThat(state.resolve("checkpoint-products.json")).exists();
            assertThat(state.resolve("checkpoint-customers.json")).exists();
            assertThat(state.resolve("checkpoint-logs.json")).exists();
            assertThat(state.resolve("checkpoint-broken.json")).as("nothing committed by a failing pair")
                    .doesNotExist();
        }
    }

    @Test
    void an_integrators_own_route_filters_and_masks_what_reaches_elasticsearch_in_the_sync_and_in_a_repair()
            throws IOException {
        try (TestStores stores = TestStores.fresh("pair_filter")) {
            stores.createTable("name text", "status text", "email text");
            Path dir = WORK.resolve("filter-" + System.nanoTime());
            Files.createDirectories(dir);
            // the README's "Adding a step to the flow", word for word: the template untouched
            Files.writeString(dir.resolve("to-elasticsearch.yaml"), ReadmeExample.integratorsRoute());

            Map<String, String> properties = new HashMap<>(stores.daemonProperties());
            properties.put("camel.main.routes-include-pattern", "file:routes/*.yaml,file:" + dir + "/*.yaml");
            properties.put("sync.to-elasticsearch", "direct:to-elasticsearch");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            UUID published = UUID.randomUUID();
            UUID draft = UUID.randomUUID();
            CassandraInsert insert = stores.insertInto("name", "status", "email");
            try (RunningDaemon daemon = RunningDaemon.start(properties)) {
                insert.row(published, now, "lamp", "published", "ada@example.com");
                insert.row(draft, now, "chair", "draft", "bob@example.com");
                UUID fromElasticsearch = indexDocument(stores, "table", now);

                Map<String, Object> doc = await("the published record in Elasticsearch").ignoreExceptions()
                        .atMost(Duration.ofSeconds(30)).until(() -> stores.document(published).orElse(null),
                                d -> d != null);
                assertThat(doc).containsEntry("email", "***").containsEntry("name", "lamp");
                await("the way to Cassandra is untouched").ignoreExceptions().atMost(Duration.ofSeconds(30))
                        .until(() -> stores.cassandraRow(fromElasticsearch).isPresent());
                daemon.awaitNextFullCycle();
                daemon.awaitNextFullCycle();
                assertThat(stores.document(draft)).as("the draft, filtered out").isEmpty();
                assertThat(stores.cassandraRow(published).orElseThrow().getString("email"))
                        .as("Cassandra keeps its own value").isEqualTo("ada@example.com");
                assertThat(daemon.lastCycle().failed()).isFalse();
            }

            // while no daemon runs, rows the sync never saw: verify --repair copies them through the same route
            UUID repairedPublished = UUID.randomUUID();
            UUID repairedDraft = UUID.randomUUID();
            insert.row(repairedPublished, now.minusSeconds(3600), "desk", "published", "cy@example.com");
            insert.row(repairedDraft, now.minusSeconds(3600), "stool", "draft", "di@example.com");
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            PrintStream printed = new PrintStream(console, true, StandardCharsets.UTF_8);
            int code = new SyncCli(printed, printed, properties).execute("verify", "--repair");
            assertThat(code).as(console.toString(StandardCharsets.UTF_8)).isEqualTo(SyncCommands.DIFFER);
            stores.refresh();
            assertThat(stores.document(repairedPublished)).as("repaired through the integrator's route")
                    .hasValueSatisfying(d -> assertThat(d).containsEntry("email", "***").containsEntry("name", "desk"));
            assertThat(stores.document(repairedDraft)).as("a draft, stopped by the route in a repair too").isEmpty();
        }
    }

    @Test
    void an_installation_from_before_pairs_goes_on_from_its_checkpoint_without_reconciling() throws IOException {
        try (TestStores stores = TestStores.fresh("pair_upgrade")) {
            stores.createTable("name text");
            stores.createIndex();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            // the one checkpoint file of a daemon from before pairs, for this table and index
            Files.createDirectories(stores.stateDir());
            Path legacy = stores.stateDir().resolve("checkpoint-" + stores.keyspace() + ".records-" + stores.index()
                    + ".json");
            Files.writeString(legacy, "{\"cassandra\": \"" + Timestamps.format(now) + "\", \"elasticsearch\": \""
                    + Timestamps.format(now) + "\"}");
            UUID old = insert(stores, "synced long ago", now.minus(Duration.ofHours(1)));
            UUID recent = insert(stores, "new since", now.plusMillis(10));

            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                await("the change since the checkpoint").ignoreExceptions().atMost(Duration.ofSeconds(30))
                        .until(() -> stores.document(recent).isPresent());
                daemon.awaitNextFullCycle();
            }
            assertThat(stores.document(old)).as("a full reconciliation would have copied it").isEmpty();
            assertThat(legacy).doesNotExist();
            assertThat(stores.stateDir().resolve("checkpoint-default.json")).exists();
        }
    }
}

package org.cassandraessync.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import co.elastic.clients.elasticsearch._types.Refresh;
import com.datastax.oss.driver.api.core.CqlSession;
import org.apache.camel.main.Main;
import org.cassandraessync.SyncApplication;
import org.cassandraessync.cassandra.CassandraSchema;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mvn -Pdemo}: starts the sandbox stores, writes sample products to Cassandra and others to
 * Elasticsearch, then runs the daemon in the foreground. Ctrl-C stops the daemon, then the stores.
 */
public final class SandboxDemo {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxDemo.class);

    private SandboxDemo() {
    }

    public static void main(String[] args) throws Exception {
        Sandbox sandbox = Sandbox.start();
        Map<String, String> properties = new LinkedHashMap<>(sandbox.connectionProperties());
        properties.put("sync.cassandra.keyspace", "demo");
        properties.put("sync.cassandra.table", "products");
        properties.put("sync.elasticsearch.index", "products");
        // fresh stores, fresh checkpoints
        java.nio.file.Path state = java.nio.file.Path.of(System.getProperty("sandbox.dir", "target/sandbox"), "demo-state");
        SandboxFiles.deleteRecursively(state);
        properties.put("sync.state-dir", state.toString());

        sandbox.secrets().ifPresent(secrets -> {
            properties.remove("sync.elasticsearch.password");
            properties.put("sync.elasticsearch.password-file", secrets.elasticsearchAdminPasswordFile().toString());
            properties.remove("sync.cassandra.password");
            properties.put("sync.cassandra.password-file", secrets.cassandraAdminPasswordFile().toString());
        });
        Main daemon;
        try {
            seed(SyncSettings.from(key -> java.util.Optional.ofNullable(properties.get(key))));
            daemon = SyncApplication.create(properties);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
        // On Ctrl-C Camel's own hook stops the daemon; this one waits for that, then stops the stores.
        Thread runner = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping the daemon, then the sandbox stores");
            daemon.completed();
            try {
                runner.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sandbox.close();
        }, "demo-shutdown"));
        LOG.info("Demo: Cassandra demo.products <-> Elasticsearch index 'products'. Ctrl-C to stop.");
        sandbox.secrets().ifPresentOrElse(secrets -> {
            // the daemon reads its passwords from files, as from mounted secrets
            LOG.info("Secured sandbox: TLS and passwords; certificates and password files in {}", secrets.dir());
            LOG.info("See the documents: curl --cacert {} -u {}:$(cat {}) '{}/products/_search?pretty'",
                    secrets.elasticsearchCa(), SandboxSecrets.ADMIN_USER, secrets.elasticsearchAdminPasswordFile(),
                    sandbox.elasticsearchUrl());
        }, () -> LOG.info("See the documents: curl '{}/products/_search?pretty'", sandbox.elasticsearchUrl()));
        daemon.run(args);
    }

    /** Three products only in Cassandra, three only in Elasticsearch. */
    static void seed(SyncSettings settings) {
        StoreClients clients = StoreClients.connect(settings);
        PairSettings pair = settings.defaultPair();
        try {
            CassandraSchema.ensure(clients.cassandra(), pair.keyspace(), pair.table(), pair.idField(),
                    pair.timestampField(), true, settings.cassandraReplicationFactor());
            ElasticsearchIndex.ensure(clients.elasticsearch(), pair.index(), pair.timestampField(), true);
            CqlSession cql = clients.cassandra();
            for (String column : new String[] {"name text", "price decimal", "tags set<text>", "in_stock boolean"}) {
                cql.execute("ALTER TABLE demo.products ADD IF NOT EXISTS " + column);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            var insert = cql.prepare("INSERT INTO demo.products (id, last_modified, name, price, tags, in_stock)"
                    + " VALUES (?, ?, ?, ?, ?, ?)");
            cql.execute(insert.bind(UUID.randomUUID(), now, "Espresso machine", new BigDecimal("249.90"),
                    Set.of("kitchen", "coffee"), true));
            cql.execute(insert.bind(UUID.randomUUID(), now, "Grinder", new BigDecimal("89.50"), Set.of("coffee"), true));
            cql.execute(insert.bind(UUID.randomUUID(), now, "Milk jug", new BigDecimal("12.00"), Set.of("kitchen"), false));
            index(clients, now, "Kettle", "39.99", true);
            index(clients, now, "Scale", "24.50", true);
            index(clients, now, "Tamper", "19.00", false);
            clients.elasticsearch().indices().refresh(r -> r.index(pair.index()));
            LOG.info("Seeded 3 products in Cassandra demo.products and 3 in Elasticsearch index products");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            clients.stop();
        }
    }

    private static void index(StoreClients clients, Instant now, String name, String price, boolean inStock)
            throws java.io.IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("last_modified", now.toString());
        doc.put("name", name);
        doc.put("price", new BigDecimal(price));
        doc.put("tags", java.util.List.of("kitchen"));
        doc.put("in_stock", inStock);
        clients.elasticsearch().index(i -> i.index("products").id(UUID.randomUUID().toString()).document(doc)
                .refresh(Refresh.False));
    }
}

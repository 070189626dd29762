package org.cassandraessync.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local real stores used by the tests and by the demo: one Cassandra 5 and one Elasticsearch,
 * started in parallel once per JVM and stopped when the JVM exits (normally, on Ctrl-C, or when a
 * test run fails). Configured by system properties set by the build:
 * {@code sandbox.dir}, {@code sandbox.cassandra.version}, {@code sandbox.elasticsearch.version}.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static Sandbox shared;

    private final CassandraServer cassandra;
    private final ElasticsearchServer elasticsearch;
    private final String elasticsearchVersion;
    private final SandboxSecrets secrets;
    private boolean closed;

    private Sandbox(CassandraServer cassandra, ElasticsearchServer elasticsearch, String elasticsearchVersion,
            SandboxSecrets secrets) {
        this.cassandra = cassandra;
        this.elasticsearch = elasticsearch;
        this.elasticsearchVersion = elasticsearchVersion;
        this.secrets = secrets;
    }

    /** The sandbox of this JVM, started on first use. */
    public static synchronized Sandbox shared() {
        if (shared == null) {
            shared = start();
            Sandbox started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "sandbox-shutdown"));
        }
        return shared;
    }

    /**
     * Starts both stores; secured (TLS, passwords, roles: {@link SandboxSecrets}) when the system
     * property {@code sandbox.secured} is {@code true}.
     */
    public static Sandbox start() {
        Path dir = Path.of(System.getProperty("sandbox.dir", "target/sandbox")).toAbsolutePath();
        String cassandraVersion = System.getProperty("sandbox.cassandra.version", "5.0.6");
        String esVersion = System.getProperty("sandbox.elasticsearch.version", "9.1.0");
        boolean secured = Boolean.getBoolean("sandbox.secured");
        long t0 = System.nanoTime();
        LOG.info("Starting sandbox Cassandra {} and Elasticsearch {} under {}{}", cassandraVersion, esVersion, dir,
                secured ? ", secured (TLS, passwords)" : "");
        SandboxSecrets secrets = secured ? SandboxSecrets.create(dir.resolve("secrets")) : null;
        CompletableFuture<CassandraServer> c = CompletableFuture.supplyAsync(
                () -> CassandraServer.start(dir, cassandraVersion, secrets));
        CompletableFuture<ElasticsearchServer> e = CompletableFuture.supplyAsync(
                () -> ElasticsearchServer.start(dir, esVersion, secrets));
        try {
            CompletableFuture.allOf(c, e).join();
        } catch (CompletionException failure) {
            c.thenAccept(CassandraServer::close);
            e.thenAccept(ElasticsearchServer::close);
            throw failure.getCause() instanceof RuntimeException r ? r : failure;
        }
        Sandbox sandbox = new Sandbox(c.join(), e.join(), esVersion, secrets);
        LOG.info("Sandbox ready in {} s: Cassandra at {}, Elasticsearch at {}",
                (System.nanoTime() - t0) / 1_000_000_000, sandbox.cassandraContactPoint(), sandbox.elasticsearchUrl());
        return sandbox;
    }

    public String cassandraContactPoint() {
        return cassandra.contactPoint();
    }

    public String elasticsearchUrl() {
        return elasticsearch.url();
    }

    public String elasticsearchVersion() {
        return elasticsearchVersion;
    }

    /**
     * Makes a store unreachable (its processes frozen with SIGSTOP: connections hang, nothing
     * answers) until {@link #thaw} is called.
     */
    public void freeze(String store) {
        server(store).accept(true);
    }

    public void thaw(String store) {
        server(store).accept(false);
    }

    private java.util.function.Consumer<Boolean> server(String store) {
        return switch (store) {
            case "cassandra" -> cassandra::freeze;
            case "elasticsearch" -> elasticsearch::freeze;
            default -> throw new IllegalArgumentException(store);
        };
    }

    /** The daemon's connection settings pointing at this sandbox (secured: as its superusers). */
    public Map<String, String> connectionProperties() {
        Map<String, String> p = new LinkedHashMap<>(cassandra.connectionProperties());
        p.putAll(elasticsearch.connectionProperties());
        return p;
    }

    /** The secured sandbox's certificates and passwords; empty when the sandbox is plain. */
    public java.util.Optional<SandboxSecrets> secrets() {
        return java.util.Optional.ofNullable(secrets);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Stopping sandbox stores");
        CompletableFuture.allOf(
                CompletableFuture.runAsync(cassandra::close),
                CompletableFuture.runAsync(elasticsearch::close)).join();
    }
}

package org.cassandraessync.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A single-node Cassandra 5 in its own JVM, from the {@code cassandra-all} jars that the build
 * resolves from Maven Central into {@code <sandbox.dir>/cassandra-<version>/lib}, with a generated
 * {@code cassandra.yaml} on free loopback ports and its data under {@code <sandbox.dir>}.
 */
final class CassandraServer implements AutoCloseable {

    /** The largest write Cassandra takes (default 16 MiB): small, so a test can exceed it with 4 MB. */
    static final String MAX_MUTATION = "4MiB";

    /** Cassandra's conf/jvm17-server.options, plus java.nio which 5.0 also reflects into. */
    private static final List<String> JDK17_OPTIONS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED");

    private final ServerProcess process;
    private final int nativePort;
    private final SandboxSecrets secrets;

    private CassandraServer(ServerProcess process, int nativePort, SandboxSecrets secrets) {
        this.process = process;
        this.nativePort = nativePort;
        this.secrets = secrets;
    }

    /**
     * Starts Cassandra; with {@code secrets}, secured: {@code PasswordAuthenticator} and
     * {@code CassandraAuthorizer}, client-to-node TLS that requires a client certificate, a
     * superuser {@value SandboxSecrets#ADMIN_USER} and a login role {@value SandboxSecrets#SYNC_USER}
     * without permissions (each test grants what it documents).
     */
    static CassandraServer start(Path sandboxDir, String version, SandboxSecrets secrets) {
        Path lib = sandboxDir.resolve("cassandra-" + version).resolve("lib");
        if (!Files.isRegularFile(lib.resolve("cassandra-all-" + version + ".jar"))) {
            throw new IllegalStateException("Cassandra " + version + " jars not found in " + lib
                    + ": run the build once (mvn verify, or mvn generate-test-resources) so Maven resolves them");
        }
        Path home = sandboxDir.resolve("cassandra");
        try {
            SandboxFiles.deleteRecursively(home);
            Files.createDirectories(home.resolve("logs"));
            int nativePort = FreePorts.next();
            int storagePort = FreePorts.next();
            Path yaml = home.resolve("cassandra.yaml");
            Files.writeString(yaml, yaml(home, nativePort, storagePort) + (secrets == null ? "" : secured(secrets)));
            Path logback = home.resolve("logback.xml");
            Files.writeString(logback, logback(home.resolve("logs")));

            List<String> command = new ArrayList<>();
            command.add(Jdks.find("Cassandra " + version, 11, 17).resolve("bin/java").toString());
            command.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Xss512k",
                    "-Dcassandra-foreground=yes",
                    "-Dcassandra.config=" + yaml.toUri(),
                    "-Dcassandra.storagedir=" + home.resolve("data"),
                    "-Dcassandra.logdir=" + home.resolve("logs"),
                    "-Dlogback.configurationFile=" + logback,
                    "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                    "-Dcassandra.ring_delay_ms=1000",
                    // the default superuser (cassandra/cassandra) at once, not after 10 s
                    "-Dcassandra.superuser_setup_delay_ms=0",
                    "-Djava.net.preferIPv4Stack=true"));
            command.addAll(JDK17_OPTIONS);
            command.addAll(List.of("-cp", lib.resolve("*").toString(), "org.apache.cassandra.service.CassandraDaemon"));

            ServerProcess process = ServerProcess.start("cassandra", command, Map.of(), home,
                    home.resolve("logs/console.log"), sandboxDir.resolve("run"));
            CassandraServer server = new CassandraServer(process, nativePort, secrets);
            process.awaitReady(server::acceptsConnections, Duration.ofSeconds(180));
            if (secrets != null) {
                process.awaitReady(server::createRoles, Duration.ofSeconds(60));
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare sandbox Cassandra in " + home, e);
        }
    }

    private boolean acceptsConnections() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", nativePort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Replaces the default superuser's well-known password use by the sandbox's own roles. */
    private boolean createRoles() {
        Map<String, String> asDefaultSuperuser = new java.util.HashMap<>(connectionProperties());
        asDefaultSuperuser.put("sync.cassandra.username", "cassandra");
        asDefaultSuperuser.put("sync.cassandra.password", "cassandra");
        org.cassandraessync.connect.StoreClients clients = new org.cassandraessync.connect.StoreClients(
                org.cassandraessync.config.SyncSettings.from(k -> java.util.Optional.ofNullable(asDefaultSuperuser.get(k))));
        try {
            var session = clients.cassandra();
            session.execute("CREATE ROLE IF NOT EXISTS " + SandboxSecrets.ADMIN_USER + " WITH SUPERUSER = true AND LOGIN = true"
                    + " AND PASSWORD = '" + secrets.cassandraAdminPassword + "'");
            session.execute("CREATE ROLE IF NOT EXISTS " + SandboxSecrets.SYNC_USER + " WITH LOGIN = true AND PASSWORD = '"
                    + secrets.cassandraSyncPassword + "'");
            return true;
        } catch (RuntimeException e) {
            // the default superuser is created a moment after the port opens
            return false;
        } finally {
            clients.stop();
        }
    }

    /** The connection settings of the sandbox's superuser (secured) or of nobody (plain). */
    Map<String, String> connectionProperties() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("sync.cassandra.contact-points", contactPoint());
        p.put("sync.cassandra.local-datacenter", "datacenter1");
        if (secrets != null) {
            p.put("sync.cassandra.username", SandboxSecrets.ADMIN_USER);
            p.put("sync.cassandra.password", secrets.cassandraAdminPassword);
            p.put("sync.cassandra.tls", "true");
            p.put("sync.cassandra.ca-file", secrets.cassandraCa().toString());
            p.put("sync.cassandra.keystore", secrets.cassandraClientKeystore().toString());
            p.put("sync.cassandra.keystore-password", secrets.storePassword);
        }
        return p;
    }

    String contactPoint() {
        return "127.0.0.1:" + nativePort;
    }

    private static String yaml(Path home, int nativePort, int storagePort) {
        Path data = home.resolve("data");
        return """
                cluster_name: cassandra-es-sync-sandbox
                num_tokens: 16
                partitioner: org.apache.cassandra.dht.Murmur3Partitioner
                auto_bootstrap: false
                commitlog_sync: periodic
                commitlog_sync_period: 10000ms
                seed_provider:
                  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
                    parameters:
                      - seeds: "127.0.0.1:%2$d"
                listen_address: 127.0.0.1
                rpc_address: 127.0.0.1
                native_transport_port: %1$d
                storage_port: %2$d
                endpoint_snitch: SimpleSnitch
                start_native_transport: true
                data_file_directories:
                  - %3$s/data
                commitlog_directory: %3$s/commitlog
                saved_caches_directory: %3$s/saved_caches
                hints_directory: %3$s/hints
                cdc_raw_directory: %3$s/cdc_raw
                disk_failure_policy: stop
                commit_failure_policy: stop
                # small (default: half the 32 MiB commit log segment) so tests can exceed it cheaply
                max_mutation_size: %4$s
                """.formatted(nativePort, storagePort, data, MAX_MUTATION);
    }

    private static String secured(SandboxSecrets secrets) {
        return """
                authenticator: PasswordAuthenticator
                authorizer: CassandraAuthorizer
                role_manager: CassandraRoleManager
                # no caches: a permission granted by a test applies to the next request
                roles_validity: 0ms
                permissions_validity: 0ms
                credentials_validity: 0ms
                client_encryption_options:
                  enabled: true
                  optional: false
                  keystore: %1$s
                  keystore_password: %2$s
                  require_client_auth: true
                  truststore: %3$s
                  truststore_password: %2$s
                  store_type: PKCS12
                """.formatted(secrets.cassandraNodeKeystore(), secrets.storePassword, secrets.cassandraTruststore());
    }

    private static String logback(Path logs) {
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s/system.log</file>
                    <encoder><pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern></encoder>
                  </appender>
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>WARN</level></filter>
                    <encoder><pattern>%%-5level %%date{ISO8601} %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/><appender-ref ref="STDOUT"/></root>
                </configuration>
                """.formatted(logs);
    }

    void freeze(boolean frozen) {
        process.signal(frozen ? "STOP" : "CONT");
    }

    @Override
    public void close() {
        process.close();
    }
}

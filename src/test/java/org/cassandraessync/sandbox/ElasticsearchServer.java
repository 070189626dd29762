package org.cassandraessync.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.security.auth.module.UnixSystem;

/**
 * A single-node Elasticsearch from the {@code integ-test-zip} distribution on Maven Central,
 * unpacked and started with its own {@code bin/elasticsearch}, security off, on free loopback ports.
 * Elasticsearch refuses to run as root: as root the server is started as {@code nobody} (setpriv),
 * from a copy it can reach (the checkout may sit under a root-only folder).
 */
final class ElasticsearchServer implements AutoCloseable {

    /** The largest HTTP request Elasticsearch takes (default 100mb): above {@link CassandraServer#MAX_MUTATION}. */
    static final String MAX_REQUEST = "5mb";

    private static final String UNPRIVILEGED_USER = "nobody";
    private static final String UNPRIVILEGED_GROUP = "nogroup";

    private final ServerProcess process;
    private final int httpPort;
    private final Path temporaryBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ElasticsearchServer(ServerProcess process, int httpPort, Path temporaryBase) {
        this.process = process;
        this.httpPort = httpPort;
        this.temporaryBase = temporaryBase;
    }

    static ElasticsearchServer start(Path sandboxDir, String version) {
        Path zip = sandboxDir.resolve("downloads").resolve("elasticsearch-" + version + ".zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Elasticsearch " + version + " distribution not found at " + zip
                    + ": run the build once (mvn verify, or mvn generate-test-resources"
                    + " -Dsandbox.elasticsearch.version=" + version + ") so Maven downloads it");
        }
        int major = Integer.parseInt(version.split("\\.")[0]);
        // ES 9 needs Java 21+; ES 8 still relies on the SecurityManager, removed in Java 24.
        Path jdk = major >= 9
                ? Jdks.find("Elasticsearch " + version, 21, Integer.MAX_VALUE)
                : Jdks.find("Elasticsearch " + version, 17, 23);
        boolean root = new UnixSystem().getUid() == 0;
        try {
            Path base = sandboxDir.resolve("elasticsearch");
            SandboxFiles.deleteRecursively(base);
            Path temporaryBase = null;
            if (root && !SandboxFiles.traversableByOthers(sandboxDir)) {
                base = temporaryBase = Files.createTempDirectory("cassandra-es-sync-elasticsearch-");
            }
            Files.createDirectories(base);
            SandboxFiles.unzip(zip, base);
            Path home = base.resolve("elasticsearch-" + version);
            Path data = Files.createDirectories(base.resolve("data"));
            Path logs = Files.createDirectories(base.resolve("logs"));
            Path tmp = Files.createDirectories(base.resolve("tmp"));
            int httpPort = FreePorts.next();
            int transportPort = FreePorts.next();

            List<String> command = new ArrayList<>();
            if (root) {
                SandboxFiles.chownRecursively(base, UNPRIVILEGED_USER);
                command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER, "--regid=" + UNPRIVILEGED_GROUP,
                        "--clear-groups", "--"));
            }
            command.add(home.resolve("bin/elasticsearch").toString());
            for (String setting : List.of(
                    "cluster.name=cassandra-es-sync-sandbox",
                    "node.name=sandbox",
                    "discovery.type=single-node",
                    "xpack.security.enabled=false",
                    "network.host=127.0.0.1",
                    "http.port=" + httpPort,
                    "transport.port=" + transportPort,
                    "path.data=" + data,
                    "path.logs=" + logs,
                    // a nearly full disk must not turn the sandbox read-only
                    "cluster.routing.allocation.disk.threshold_enabled=false",
                    // a small request limit (default 100mb) so that tests can send a document too large
                    // for one request without megabytes of test data; the daemon splits larger bulks
                    "http.max_content_length=" + MAX_REQUEST)) {
                command.add("-E");
                command.add(setting);
            }
            Map<String, String> env = Map.of(
                    "ES_JAVA_HOME", jdk.toString(),
                    "ES_JAVA_OPTS", "-Xms512m -Xmx512m",
                    "ES_TMPDIR", tmp.toString());
            ServerProcess process = ServerProcess.start("elasticsearch", command, env, base,
                    sandboxDir.resolve("elasticsearch-console.log"), sandboxDir.resolve("run"));
            ElasticsearchServer server = new ElasticsearchServer(process, httpPort, temporaryBase);
            process.awaitReady(server::isHealthy, Duration.ofSeconds(180));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare sandbox Elasticsearch " + version, e);
        }
    }

    private boolean isHealthy() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                            URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    void freeze(boolean frozen) {
        process.signal(frozen ? "STOP" : "CONT");
    }

    @Override
    public void close() {
        process.close();
        if (temporaryBase != null) {
            try {
                SandboxFiles.deleteRecursively(temporaryBase);
            } catch (IOException e) {
                // a temporary folder left behind is harmless
            }
        }
    }
}

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
    private final SandboxSecrets secrets;
    private final HttpClient http;

    private ElasticsearchServer(ServerProcess process, int httpPort, Path temporaryBase, SandboxSecrets secrets) {
        this.process = process;
        this.httpPort = httpPort;
        this.temporaryBase = temporaryBase;
        this.secrets = secrets;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (secrets != null) {
            builder.sslContext(sslContext(secrets.elasticsearchCa()));
        }
        this.http = builder.build();
    }

    /**
     * Starts Elasticsearch; with {@code secrets}, secured as a default install is: security on,
     * HTTPS with a CA and certificate made by the distribution's {@code elasticsearch-certutil}
     * (the certificate names {@code localhost} and {@code 127.0.0.1}; the node also listens on
     * {@code 127.0.0.2}, which it does not name), client certificates optional, and file-realm users
     * made by {@code elasticsearch-users}: a superuser {@value SandboxSecrets#ADMIN_USER} and
     * {@value SandboxSecrets#SYNC_USER} with the role {@code cassandra_es_sync} of docs/security.md.
     */
    static ElasticsearchServer start(Path sandboxDir, String version, SandboxSecrets secrets) {
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
            Map<String, String> env = Map.of(
                    "ES_JAVA_HOME", jdk.toString(),
                    "ES_JAVA_OPTS", "-Xms512m -Xmx512m",
                    "ES_TMPDIR", tmp.toString());
            List<String> security = secrets == null ? List.of("xpack.security.enabled=false", "network.host=127.0.0.1")
                    : secure(home, secrets, env, jdk, version);

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
            for (String setting : security) {
                command.add("-E");
                command.add(setting);
            }
            ServerProcess process = ServerProcess.start("elasticsearch", command, env, base,
                    sandboxDir.resolve("elasticsearch-console.log"), sandboxDir.resolve("run"));
            ElasticsearchServer server = new ElasticsearchServer(process, httpPort, temporaryBase, secrets);
            process.awaitReady(server::isHealthy, Duration.ofSeconds(180));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare sandbox Elasticsearch " + version, e);
        }
    }

    /**
     * Certificates (elasticsearch-certutil: a CA, an HTTP certificate for localhost and 127.0.0.1
     * served with the CA in its chain as a default install does, a client certificate), users
     * (elasticsearch-users) and the role file; returns the security settings.
     */
    private static List<String> secure(Path home, SandboxSecrets secrets, Map<String, String> env, Path jdk,
            String version) throws IOException {
        installSecurityAnalysis(home, jdk, version);
        Path certs = Files.createDirectories(home.resolve("config/certs"));
        Path certutil = home.resolve("bin/elasticsearch-certutil");
        String caCert = certs.resolve("ca/ca.crt").toString();
        String caKey = certs.resolve("ca/ca.key").toString();
        // (relative paths would be resolved against the distribution's home)
        SandboxSecrets.run(List.of(certutil.toString(), "ca", "--pem", "--silent", "--out",
                certs.resolve("ca.zip").toString()), certs, env);
        SandboxFiles.unzip(certs.resolve("ca.zip"), certs);
        SandboxSecrets.run(List.of(certutil.toString(), "cert", "--pem", "--silent", "--ca-cert", caCert,
                "--ca-key", caKey, "--ip", "127.0.0.1", "--dns", "localhost", "--name", "http",
                "--out", certs.resolve("http.zip").toString()), certs, env);
        SandboxFiles.unzip(certs.resolve("http.zip"), certs);
        Files.writeString(certs.resolve("http-chain.crt"), Files.readString(certs.resolve("http/http.crt"))
                + Files.readString(certs.resolve("ca/ca.crt")));
        SandboxSecrets.run(List.of(certutil.toString(), "cert", "--silent", "--ca-cert", caCert,
                "--ca-key", caKey, "--name", "client", "--pass", secrets.storePassword,
                "--out", secrets.elasticsearchClientKeystore().toString()), certs, env);
        Files.copy(certs.resolve("ca/ca.crt"), secrets.elasticsearchCa(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Files.writeString(home.resolve("config/roles.yml"), ROLE);
        Path users = home.resolve("bin/elasticsearch-users");
        SandboxSecrets.run(List.of(users.toString(), "useradd", SandboxSecrets.ADMIN_USER, "-p",
                secrets.elasticsearchAdminPassword, "-r", "superuser"), certs, env);
        SandboxSecrets.run(List.of(users.toString(), "useradd", SandboxSecrets.SYNC_USER, "-p",
                secrets.elasticsearchSyncPassword, "-r", "cassandra_es_sync"), certs, env);
        SandboxSecrets.run(List.of(users.toString(), "useradd", SandboxSecrets.CREATOR_USER, "-p",
                secrets.elasticsearchSyncPassword, "-r", "cassandra_es_sync,cassandra_es_sync_create"), certs, env);
        return List.of(
                "xpack.security.enabled=true",
                "xpack.security.http.ssl.enabled=true",
                "xpack.security.http.ssl.certificate=certs/http-chain.crt",
                "xpack.security.http.ssl.key=certs/http/http.key",
                "xpack.security.http.ssl.certificate_authorities=certs/ca/ca.crt",
                "xpack.security.http.ssl.client_authentication=optional",
                // 127.0.0.2 too: an address the certificate does not name, for the host name check
                "network.bind_host=127.0.0.1,127.0.0.2",
                "network.publish_host=127.0.0.1");
    }

    /**
     * Compiles src/sandbox/elasticsearch-security-analysis against the distribution's jars and
     * installs it as a module: the analysis components the .security index needs, which this
     * distribution lacks (without them no API key can be created).
     */
    private static void installSecurityAnalysis(Path home, Path jdk, String version) throws IOException {
        Path source = Path.of(System.getProperty("sandbox.sources", "src/sandbox"))
                .resolve("elasticsearch-security-analysis/SecurityAnalysisShimPlugin.java").toAbsolutePath();
        Path module = Files.createDirectories(home.resolve("modules/security-analysis"));
        Path classes = Files.createTempDirectory("security-analysis-classes");
        int major = Integer.parseInt(version.split("\\.")[0]);
        String release = major >= 9 ? "21" : "17";
        SandboxSecrets.run(List.of(jdk.resolve("bin/javac").toString(), "--release", release, "-nowarn",
                "-cp", home.resolve("lib").toString() + "/*", "-d", classes.toString(), source.toString()), module, Map.of());
        SandboxSecrets.run(List.of(jdk.resolve("bin/jar").toString(), "cf",
                module.resolve("security-analysis.jar").toString(), "-C", classes.toString(), "."), module, Map.of());
        Files.deleteIfExists(module.resolve("tools.log"));
        SandboxFiles.deleteRecursively(classes);
        Files.writeString(module.resolve("plugin-descriptor.properties"), """
                description=Sandbox only: pattern_capture, unique and uax_url_email, needed by the .security index
                version=%1$s
                name=security-analysis
                classname=org.cassandraessync.sandbox.analysis.SecurityAnalysisShimPlugin
                java.version=%2$s
                elasticsearch.version=%1$s
                """.formatted(version, release));
    }

    /** The roles of docs/security.md (Least privilege), on the tests' indices. */
    private static final String ROLE = """
            cassandra_es_sync:
              indices:
                - names: [ "it-*" ]
                  privileges: [ %s ]
            cassandra_es_sync_create:
              indices:
                - names: [ "it-*" ]
                  privileges: [ %s ]
            """.formatted(SandboxSecrets.ELASTICSEARCH_SYNC_PRIVILEGES, SandboxSecrets.ELASTICSEARCH_CREATE_PRIVILEGES);

    private static javax.net.ssl.SSLContext sslContext(Path caPem) {
        try (var in = Files.newInputStream(caPem)) {
            var ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            var context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caPem, e);
        }
    }

    /** The connection settings of the sandbox's superuser (secured) or of nobody (plain). */
    Map<String, String> connectionProperties() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("sync.elasticsearch.hosts", url());
        if (secrets != null) {
            p.put("sync.elasticsearch.username", SandboxSecrets.ADMIN_USER);
            p.put("sync.elasticsearch.password", secrets.elasticsearchAdminPassword);
            p.put("sync.elasticsearch.ca-file", secrets.elasticsearchCa().toString());
        }
        return p;
    }

    private boolean isHealthy() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(3)).GET();
            if (secrets != null) {
                request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (SandboxSecrets.ADMIN_USER + ":" + secrets.elasticsearchAdminPassword).getBytes()));
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String url() {
        return (secrets == null ? "http" : "https") + "://127.0.0.1:" + httpPort;
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

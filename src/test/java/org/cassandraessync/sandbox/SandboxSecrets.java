package org.cassandraessync.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the secured sandbox is secured with, made fresh at each start: random passwords, and for
 * Cassandra a CA, a node certificate (for {@code localhost} and {@code 127.0.0.1}), a client
 * certificate and a trust store, all made with the JDK's {@code keytool}. Elasticsearch makes its
 * own with {@code elasticsearch-certutil} ({@link ElasticsearchServer}); its CA lands here too.
 */
public final class SandboxSecrets {

    /**
     * The Elasticsearch user with exactly the privileges docs/security.md documents for sync (role
     * {@code cassandra_es_sync}); in Cassandra a login role without permissions.
     */
    public static final String SYNC_USER = "sync_daemon";
    /** The Elasticsearch user with the sync privileges and those to create the index. */
    public static final String CREATOR_USER = "sync_creator";
    public static final String ADMIN_USER = "sandbox_admin";
    /** The index privileges docs/security.md documents for sync, as a YAML/JSON list body. */
    public static final String ELASTICSEARCH_SYNC_PRIVILEGES =
            "\"read\", \"index\", \"view_index_metadata\", \"indices:admin/mapping/put\", \"indices:admin/refresh\"";
    /** The index privileges docs/security.md documents for creating the index. */
    public static final String ELASTICSEARCH_CREATE_PRIVILEGES = "\"create_index\"";

    private final Path dir;
    final String storePassword = random();
    final String cassandraAdminPassword = random();
    final String cassandraSyncPassword = random();
    final String elasticsearchAdminPassword = random();
    final String elasticsearchSyncPassword = random();

    private SandboxSecrets(Path dir) {
        this.dir = dir;
    }

    /** New passwords and Cassandra certificates under {@code dir} (emptied first). */
    static SandboxSecrets create(Path dir) {
        try {
            SandboxFiles.deleteRecursively(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SandboxSecrets secrets = new SandboxSecrets(dir);
        secrets.makeCassandraCertificates();
        try {
            // for a person trying the secured demo: curl -u sandbox_admin:$(cat ...) and cqlsh
            Files.writeString(secrets.elasticsearchAdminPasswordFile(), secrets.elasticsearchAdminPassword + "\n");
            Files.writeString(secrets.cassandraAdminPasswordFile(), secrets.cassandraAdminPassword + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return secrets;
    }

    private static String random() {
        return "pw" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The folder holding every file below. */
    public Path dir() {
        return dir;
    }

    /** PEM of the CA that signed the Cassandra node's and the client's certificates. */
    public Path cassandraCa() {
        return dir.resolve("cassandra-ca.crt");
    }

    /** PKCS#12 trust store holding that CA (password {@link #storePassword()}). */
    public Path cassandraTruststore() {
        return dir.resolve("cassandra-truststore.p12");
    }

    /** PKCS#12 key store with the client certificate Cassandra requires (password {@link #storePassword()}). */
    public Path cassandraClientKeystore() {
        return dir.resolve("cassandra-client.p12");
    }

    Path cassandraNodeKeystore() {
        return dir.resolve("cassandra-node.p12");
    }

    /** PEM of the CA of Elasticsearch's HTTP certificate (made by elasticsearch-certutil). */
    public Path elasticsearchCa() {
        return dir.resolve("elasticsearch-ca.crt");
    }

    /** PKCS#12 key store with a client certificate signed by Elasticsearch's CA (password {@link #storePassword()}). */
    public Path elasticsearchClientKeystore() {
        return dir.resolve("elasticsearch-client.p12");
    }

    /** The password of {@value #ADMIN_USER} in Elasticsearch, in a file. */
    public Path elasticsearchAdminPasswordFile() {
        return dir.resolve("elasticsearch-admin.password");
    }

    /** The password of {@value #ADMIN_USER} in Cassandra, in a file. */
    public Path cassandraAdminPasswordFile() {
        return dir.resolve("cassandra-admin.password");
    }

    public String storePassword() {
        return storePassword;
    }

    public String cassandraSyncPassword() {
        return cassandraSyncPassword;
    }

    public String elasticsearchSyncPassword() {
        return elasticsearchSyncPassword;
    }

    /** Every password of the sandbox: none may appear in the daemon's output. */
    public List<String> allPasswords() {
        return List.of(storePassword, cassandraAdminPassword, cassandraSyncPassword, elasticsearchAdminPassword,
                elasticsearchSyncPassword);
    }

    private void makeCassandraCertificates() {
        Path ca = dir.resolve("cassandra-ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=cassandra-es-sync sandbox Cassandra CA", "-ext", "bc:c", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", cassandraCa().toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", cassandraCa().toString(),
                "-keystore", cassandraTruststore().toString());
        signed(ca, cassandraNodeKeystore(), "node", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        signed(ca, cassandraClientKeystore(), "client", "CN=" + SYNC_USER, null);
    }

    /** A key store with a new key pair whose certificate {@code ca} signs, preceded by the CA in its chain. */
    private void signed(Path ca, Path keystore, String alias, String dname, String san) {
        Path csr = dir.resolve(alias + ".csr");
        Path crt = dir.resolve(alias + ".crt");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", dname, "-keystore", keystore.toString());
        keytool("-certreq", "-alias", alias, "-keystore", keystore.toString(), "-file", csr.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "30"));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", cassandraCa().toString(),
                "-keystore", keystore.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", crt.toString(), "-keystore", keystore.toString());
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", storePassword));
        run(command, dir, Map.of());
    }

    /** Runs a tool to its end; its output is kept in {@code <dir>/tools.log}. */
    static void run(List<String> command, Path dir, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("tools.log").toFile()));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command.get(0) + " " + command.get(1));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " " + command.get(1) + " failed (exit "
                        + process.exitValue() + "); see " + dir.resolve("tools.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package org.cassandraessync.secured;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.sandbox.SandboxSecrets;
import org.cassandraessync.support.TestStores;

/**
 * A test's keyspace and index on the secured sandbox ({@link TestStores}, as its superusers), and
 * what the test runs the daemon as: Cassandra roles granted exactly the documented permissions,
 * Elasticsearch users of the documented roles, API keys, secrets in files.
 */
final class SecuredStores implements AutoCloseable {

    /** The Cassandra permissions docs/security.md documents for sync ({@code %s}: the table). */
    static final String SYNC_ONLY = "SELECT ON TABLE %s; MODIFY ON TABLE %s; ALTER ON TABLE %s";
    /** ... and for a daemon that creates its keyspace, table and index. */
    static final String WITH_SCHEMA_CREATION = "CREATE ON ALL KEYSPACES";
    static final String CREATOR_USER = SandboxSecrets.CREATOR_USER;
    static final String ELASTICSEARCH_SYNC_ONLY = SandboxSecrets.ELASTICSEARCH_SYNC_PRIVILEGES;

    private final TestStores test;
    private final SandboxSecrets secrets;
    private final Map<String, String> rolePasswords = new HashMap<>();
    private String lastRole;

    private SecuredStores(TestStores test) {
        this.test = test;
        this.secrets = test.sandbox().secrets().orElseThrow(() -> new IllegalStateException(
                "these tests need the secured sandbox: -Dsandbox.secured=true (failsafe execution secured-clusters)"));
    }

    static SecuredStores fresh(String scenario) {
        return new SecuredStores(TestStores.fresh(scenario));
    }

    TestStores test() {
        return test;
    }

    SandboxSecrets secrets() {
        return secrets;
    }

    int elasticsearchPort() {
        return URI.create(test.sandbox().elasticsearchUrl()).getPort();
    }

    /**
     * A new Cassandra login role granted exactly {@code grants} (separated by ';', {@code %s} = this
     * test's table), with a random password.
     */
    String cassandraRole(String grants) {
        String role = test.keyspace() + "_r" + (rolePasswords.size() + 1);
        String password = "pw" + UUID.randomUUID().toString().replace("-", "");
        test.cql("CREATE ROLE " + role + " WITH LOGIN = true AND PASSWORD = '" + password + "'");
        for (String grant : grants.split(";")) {
            test.cql("GRANT " + grant.trim().replace("%s", test.qualifiedTable()) + " TO " + role);
        }
        rolePasswords.put(role, password);
        lastRole = role;
        return role;
    }

    String rolePassword(String role) {
        return rolePasswords.get(role);
    }

    String lastRole() {
        return lastRole;
    }

    /**
     * The daemon's settings for this test as Cassandra {@code role} and Elasticsearch user
     * {@code esUser} (none: no user, e.g. for an API key), trusting both CAs by their PEM files.
     */
    Map<String, String> daemonAs(String role, String esUser, String esPassword) {
        Map<String, String> p = new LinkedHashMap<>(test.daemonProperties());
        p.put("sync.cassandra.username", role);
        p.put("sync.cassandra.password", rolePasswords.get(role));
        p.remove("sync.elasticsearch.username");
        p.remove("sync.elasticsearch.password");
        if (esUser != null) {
            p.put("sync.elasticsearch.username", esUser);
            p.put("sync.elasticsearch.password", esPassword);
        }
        return p;
    }

    /** As {@code role} in Cassandra and the sync-only user in Elasticsearch. */
    Map<String, String> syncOnly(String role) {
        return daemonAs(role, SandboxSecrets.SYNC_USER, secrets.elasticsearchSyncPassword());
    }

    /** A new API key (the {@code encoded} form) for this test's index with exactly {@code privileges}. */
    String apiKey(String privileges) {
        return apiKey(test.index(), privileges);
    }

    /** A new API key for the indices {@code names} matches (a name or a pattern) with exactly {@code privileges}. */
    String apiKey(String names, String privileges) {
        String json = """
                {"name": "%1$s", "role_descriptors": {"cassandra_es_sync": {"indices": [
                  {"names": ["%2$s"], "privileges": [%3$s]}]}}}""".formatted(test.index(), names, privileges);
        try {
            return test.elasticsearch().security().createApiKey(r -> r.withJson(new StringReader(json))).encoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file holding {@code secret} and a line break, as a Kubernetes secret mounted as a file. */
    Path secretFile(String name, String secret) {
        try {
            Path dir = Files.createDirectories(test.stateDir().resolveSibling(test.keyspace() + "-secrets"));
            return Files.writeString(dir.resolve(name), secret + "\n").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 fingerprint of Elasticsearch's CA, in openssl's form (AB:CD:...) or Elasticsearch's (abcd...). */
    String elasticsearchCaFingerprint(boolean opensslForm) {
        try (var in = Files.newInputStream(secrets.elasticsearchCa())) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return opensslForm ? HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT)
                    : HexFormat.of().formatHex(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        test.close();
    }
}

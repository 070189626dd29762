package org.cassandraessync.secured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.sandbox.SandboxSecrets;
import org.cassandraessync.support.Http;
import org.cassandraessync.support.PackagedJar;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon against clusters secured as production ones are: Elasticsearch with security on,
 * HTTPS from its own certutil, users and API keys; Cassandra with PasswordAuthenticator,
 * CassandraAuthorizer and client-to-node TLS that requires a client certificate. The daemon runs
 * as users holding exactly the privileges docs/security.md lists ({@link SecuredStores}). Runs in its own
 * failsafe execution, on the secured sandbox ({@code -Dsandbox.secured=true}).
 */
class SecuredClustersIT {

    @Test
    void least_privilege_users_sync_both_ways_over_tls_with_ca_files_and_are_ready_without_monitor() throws Exception {
        try (SecuredStores stores = SecuredStores.fresh("leastpriv")) {
            // sync only: the table and the index exist, the daemon may not create anything
            stores.test().createTable("name text");
            stores.test().createIndex();
            Map<String, String> daemon = stores.daemonAs(stores.cassandraRole(SecuredStores.SYNC_ONLY),
                    SandboxSecrets.SYNC_USER, stores.secrets().elasticsearchSyncPassword());
            daemon.put("sync.create-schema", "false");
            try (RunningDaemon running = RunningDaemon.start(daemon)) {
                syncsBothWays(stores.test(), running);

                // the user lacks the cluster privilege monitor, which GET / (the readiness probe's) needs...
                StoreClients asDaemon = new StoreClients(SyncSettings.from(k -> Optional.ofNullable(daemon.get(k))));
                try {
                    assertThat(asDaemon.elasticsearch().security().hasPrivileges(h -> h.withJson(
                            new StringReader("{\"cluster\": [\"monitor\"]}"))).hasAllRequested())
                            .as(SandboxSecrets.SYNC_USER + " holds monitor").isFalse();
                } finally {
                    asDaemon.stop();
                }
                // ...and the daemon is ready all the same: any answer but 401 or a server error means the
                // cluster is there (a full distribution answers 403, the sandbox's minimal one 405)
                var ready = Http.get(running.management("/observe/health/ready"));
                assertThat(ready.status()).as("readiness without monitor: " + ready.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void least_privilege_users_create_the_schema_with_a_pinned_fingerprint_and_a_trust_store() throws Exception {
        try (SecuredStores stores = SecuredStores.fresh("creator")) {
            Map<String, String> daemon = stores.daemonAs(stores.cassandraRole(SecuredStores.WITH_SCHEMA_CREATION),
                    SecuredStores.CREATOR_USER, stores.secrets().elasticsearchSyncPassword());
            daemon.remove("sync.elasticsearch.ca-file");
            daemon.put("sync.elasticsearch.ca-fingerprint", stores.elasticsearchCaFingerprint(true));
            daemon.remove("sync.cassandra.ca-file");
            daemon.put("sync.cassandra.truststore", stores.secrets().cassandraTruststore().toString());
            daemon.put("sync.cassandra.truststore-password-file",
                    stores.secretFile("truststore", stores.secrets().storePassword()).toString());
            try (RunningDaemon running = RunningDaemon.start(daemon)) {
                await("the daemon's first cycle, which creates the table and the index").atMost(Duration.ofSeconds(60))
                        .until(() -> running.lastCycle() != null && running.cycle().lastFailure().isEmpty());
                syncsBothWays(stores.test(), running);
            }
        }
    }

    @Test
    void an_api_key_and_a_client_certificate_authenticate_against_elasticsearch(@TempDir Path workDir) throws Exception {
        try (SecuredStores stores = SecuredStores.fresh("apikey")) {
            stores.test().createTable("name text");
            stores.test().createIndex();
            Map<String, String> daemon = stores.daemonAs(stores.cassandraRole(SecuredStores.SYNC_ONLY), null, null);
            daemon.put("sync.create-schema", "false");
            daemon.put("sync.elasticsearch.api-key-file", stores.secretFile("api-key",
                    stores.apiKey(SecuredStores.ELASTICSEARCH_SYNC_ONLY)).toString());
            daemon.put("sync.elasticsearch.keystore", stores.secrets().elasticsearchClientKeystore().toString());
            daemon.put("sync.elasticsearch.keystore-password", stores.secrets().storePassword());
            try (RunningDaemon running = RunningDaemon.start(daemon)) {
                syncsBothWays(stores.test(), running);
            }

            // verify needs only to read: an API key with read and view_index_metadata, SELECT
            Map<String, String> reader = stores.daemonAs(stores.cassandraRole("SELECT ON TABLE %s"), null, null);
            reader.put("sync.create-schema", "false");
            reader.put("sync.elasticsearch.api-key", stores.apiKey("\"read\", \"view_index_metadata\""));
            PackagedJar verify = PackagedJar.in(workDir).properties(reader).log(workDir.resolve("verify.log"));
            assertThat(verify.runToEnd(Duration.ofSeconds(120), "verify")).as("verify, as a reader: " + verify.output())
                    .isZero();
        }
    }

    @Test
    void each_misconfiguration_fails_every_cycle_with_one_line_naming_the_store_the_host_and_the_fix() {
        try (SecuredStores stores = SecuredStores.fresh("errors")) {
            stores.test().createTable("name text");
            stores.test().createIndex();
            String role = stores.cassandraRole(SecuredStores.SYNC_ONLY);
            String es = "Elasticsearch at 127.0.0.1:" + stores.elasticsearchPort();
            String cassandra = "Cassandra at " + stores.test().sandbox().cassandraContactPoint();

            Map<String, String> wrongPassword = stores.daemonAs(role, SandboxSecrets.SYNC_USER, "not-the-password-7f3a");
            failsWith(wrongPassword, es + " refused the credentials (HTTP 401): check sync.elasticsearch.username");

            Map<String, String> wrongCassandraPassword = stores.daemonAs(role, SandboxSecrets.SYNC_USER,
                    stores.secrets().elasticsearchSyncPassword());
            wrongCassandraPassword.put("sync.cassandra.password", "not-the-password-7f3a");
            failsWith(wrongCassandraPassword, cassandra + " refused the credentials: check sync.cassandra.username");

            Map<String, String> unknownCa = stores.syncOnly(role);
            unknownCa.put("sync.elasticsearch.ca-file", stores.secrets().cassandraCa().toString());
            failsWith(unknownCa, es + " presented a certificate this daemon does not trust: set sync.elasticsearch.ca-file");

            Map<String, String> unknownCassandraCa = stores.syncOnly(role);
            unknownCassandraCa.put("sync.cassandra.ca-file", stores.secrets().elasticsearchCa().toString());
            failsWith(unknownCassandraCa, cassandra + " presented a certificate this daemon does not trust:"
                    + " set sync.cassandra.ca-file");

            Map<String, String> wrongFingerprint = stores.syncOnly(role);
            wrongFingerprint.remove("sync.elasticsearch.ca-file");
            wrongFingerprint.put("sync.elasticsearch.ca-fingerprint", "AB:".repeat(31) + "AB");
            failsWith(wrongFingerprint, es + " presented a certificate chain without the pinned CA");

            // the node also listens on 127.0.0.2, which its certificate does not name
            Map<String, String> wrongHost = stores.syncOnly(role);
            wrongHost.put("sync.elasticsearch.hosts", "https://127.0.0.2:" + stores.elasticsearchPort());
            failsWith(wrongHost, "Elasticsearch at 127.0.0.2:" + stores.elasticsearchPort()
                    + " presented a certificate for another host name (Host name '127.0.0.2' does not match");

            Map<String, String> plainHttp = stores.syncOnly(role);
            plainHttp.put("sync.elasticsearch.hosts", "http://127.0.0.1:" + stores.elasticsearchPort());
            plainHttp.remove("sync.elasticsearch.ca-file");
            failsWith(plainHttp, es + " closed the connection without an answer: if the cluster serves HTTPS, use https://");

            Map<String, String> noClientCertificate = stores.syncOnly(role);
            noClientCertificate.remove("sync.cassandra.keystore");
            noClientCertificate.remove("sync.cassandra.keystore-password");
            failsWith(noClientCertificate, cassandra + " requires a client certificate: set sync.cassandra.keystore");

            // a record in each store: the permissions below are missing only when writing
            stores.test().insertInto("name")
                    .row(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS), "to Elasticsearch");
            stores.test().index(UUID.randomUUID(), Map.of("last_modified", Instant.now().truncatedTo(ChronoUnit.MILLIS)
                    .toString(), "name", "to Cassandra"));

            String index = stores.test().index();
            Map<String, String> readOnlyKey = stores.daemonAs(role, null, null);
            readOnlyKey.put("sync.elasticsearch.api-key", stores.apiKey("\"read\", \"view_index_metadata\""));
            failsWith(readOnlyKey, es + " refused to write documents to index " + index + " (HTTP 403): grant the"
                    + " index privilege index on " + index + " to the user or API key");

            // the index outside the key's rights: the first request, a HEAD, is refused (an answer without a body)
            Map<String, String> otherIndices = stores.daemonAs(role, null, null);
            otherIndices.put("sync.elasticsearch.api-key", stores.apiKey("acc*", SecuredStores.ELASTICSEARCH_SYNC_ONLY));
            failsWith(otherIndices, es + " refused to check whether index " + index + " exists (HTTP 403): grant the"
                    + " index privilege view_index_metadata on " + index + " to the user or API key");

            Map<String, String> noModify = stores.syncOnly(stores.cassandraRole("SELECT ON TABLE %s"));
            failsWith(noModify, cassandra + " refused a request: User " + stores.lastRole() + " has no MODIFY permission");

        }
    }

    /**
     * The packaged jar as an operator runs it on Kubernetes: the Cassandra password in a mounted
     * file, the Elasticsearch password in an environment variable, the key store's on the command
     * line; Elasticsearch's certificate not verified by the explicit switch. It syncs, warns that
     * verification is off, and no password appears in its output, its health or its metrics.
     */
    @Test
    void no_secret_reaches_the_output_the_health_or_the_metrics_of_the_jar(@TempDir Path workDir) throws Exception {
        try (SecuredStores stores = SecuredStores.fresh("jarsecrets")) {
            stores.test().createTable("name text");
            stores.test().createIndex();
            String role = stores.cassandraRole(SecuredStores.SYNC_ONLY);
            Map<String, String> daemon = stores.syncOnly(role);
            daemon.put("sync.cassandra.password-file", stores.secretFile("cassandra-password",
                    daemon.remove("sync.cassandra.password")).toString());
            String elasticsearchPassword = daemon.remove("sync.elasticsearch.password");
            daemon.remove("sync.elasticsearch.ca-file");
            daemon.put("sync.elasticsearch.insecure-skip-tls-verify", "true");
            daemon.put("sync.create-schema", "false");
            PackagedJar jar = PackagedJar.in(workDir).properties(daemon)
                    .environment("SYNC_ELASTICSEARCH_PASSWORD", elasticsearchPassword);
            Path log = jar.log();
            Process process = jar.start();
            String health;
            String metrics;
            try {
                UUID id = UUID.randomUUID();
                stores.test().insertInto("name").row(id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "x");
                await("the row in Elasticsearch, synced by the jar").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(250)).until(() -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("the jar exited: " + Files.readString(log));
                            }
                            return stores.test().document(id).isPresent();
                        });
                health = Http.get(jar.management("/observe/health")).body();
                metrics = Http.get(jar.management("/observe/metrics")).body();
            } finally {
                process.destroy();
                process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            String output = Files.readString(log);
            assertThat(output).contains("TLS verification of Elasticsearch is OFF"
                    + " (sync.elasticsearch.insecure-skip-tls-verify=true)");
            assertThat(metrics).contains("cassandra_es_sync_records_written_total");
            List<String> secrets = new ArrayList<>(stores.secrets().allPasswords());
            secrets.add(stores.rolePassword(role));
            for (String secret : secrets) {
                assertThat(output).as("daemon output").doesNotContain(secret);
                assertThat(health).as("health").doesNotContain(secret);
                assertThat(metrics).as("metrics").doesNotContain(secret);
            }
        }
    }

    /**
     * Starts the daemon, waits for two failed cycles (it keeps running and retrying) and checks
     * the reason: exactly the expected line, the same in the readiness check, no password in it.
     */
    private static void failsWith(Map<String, String> properties, String expected) {
        properties.put("sync.period", "200ms");
        try (RunningDaemon daemon = RunningDaemon.start(properties)) {
            await("two failed cycles: " + expected).atMost(Duration.ofSeconds(60))
                    .until(() -> daemon.lastCycle() != null && daemon.lastCycle().failed() && daemon.lastCycle().cycle() >= 2);
            String reason = daemon.cycle().lastFailure().orElseThrow();
            assertThat(reason).as("the failure line").startsWith(expected).doesNotContain("\n");
            assertThat(reason).doesNotContain("not-the-password-7f3a").doesNotContain(properties.getOrDefault(
                    "sync.elasticsearch.password", "not-the-password-7f3a")).doesNotContain(properties.getOrDefault(
                    "sync.cassandra.password", "not-the-password-7f3a"));
            // the readiness check says the same, without a secret
            var ready = Http.get(daemon.management("/observe/health/ready"));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains(expected.substring(0, expected.indexOf(" ", expected.indexOf(" at ") + 4)))
                    .doesNotContain("not-the-password-7f3a")
                    .doesNotContain(properties.getOrDefault("sync.elasticsearch.password", "not-the-password-7f3a"))
                    .doesNotContain(properties.getOrDefault("sync.cassandra.password", "not-the-password-7f3a"));
        }
    }

    /**
     * A document indexed in Elasticsearch reaches Cassandra (where the daemon may first add its
     * column), then a row written in Cassandra reaches Elasticsearch.
     */
    private static void syncsBothWays(TestStores stores, RunningDaemon daemon) {
        UUID fromElasticsearch = UUID.randomUUID();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("last_modified", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        doc.put("name", "written in Elasticsearch");
        stores.index(fromElasticsearch, doc);
        awaitWithoutFailures(daemon, "the document in Cassandra", () -> stores.cassandraRow(fromElasticsearch).isPresent());
        assertThat(stores.cassandraRow(fromElasticsearch).orElseThrow().getString("name"))
                .isEqualTo("written in Elasticsearch");

        UUID fromCassandra = UUID.randomUUID();
        stores.insertInto("name")
                .row(fromCassandra, Instant.now().truncatedTo(ChronoUnit.MILLIS), "written in Cassandra");
        awaitWithoutFailures(daemon, "the row in Elasticsearch", () -> stores.document(fromCassandra).isPresent());
        assertThat(stores.document(fromCassandra).orElseThrow()).containsEntry("name", "written in Cassandra");
    }

    private static void awaitWithoutFailures(RunningDaemon daemon, String what, java.util.concurrent.Callable<Boolean> done) {
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (daemon.lastCycle() != null && daemon.lastCycle().failed() && daemon.lastCycle().cycle() > 3) {
                throw new IllegalStateException("cycles fail: " + daemon.cycle().lastFailure().orElse(""));
            }
            return done.call();
        });
    }
}

package org.cassandraessync.secured;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.cassandraessync.sandbox.SandboxSecrets;
import org.cassandraessync.support.PackagedJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check}, the preflight, through the packaged jar on the secured sandbox (TLS, passwords,
 * roles): what an operator runs before the first start.
 */
class PreflightIT {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    @Test
    void a_role_granted_what_the_daemon_uses_passes_every_check(@TempDir Path workDir) {
        try (SecuredStores stores = SecuredStores.fresh("preflight")) {
            stores.test().createTable("name text");
            stores.test().cql("CREATE INDEX ON " + stores.test().qualifiedTable() + " (last_modified) USING 'sai'");
            stores.test().createIndex();
            Check check = check(workDir, asTheDocumentedSyncRole(stores));
            int exit = check.exit();
            String out = check.out();
            assertThat(exit).as(out).isZero();
            assertThat(lines(out, "✔")).as(out).anyMatch(l -> l.contains("Cassandra answers") && l.contains("TLS")
                            && l.contains("as role " + stores.lastRole()))
                    .anyMatch(l -> l.contains("Elasticsearch answers") && l.contains("as user " + SandboxSecrets.SYNC_USER))
                    .anyMatch(l -> l.contains("Cassandra table") && l.contains("id uuid primary key"))
                    .anyMatch(l -> l.contains("timestamp index") && l.contains("storage-attached index"))
                    .anyMatch(l -> l.contains("Cassandra permissions") && l.contains("holds what the daemon uses"))
                    .anyMatch(l -> l.contains("Elasticsearch privileges") && l.contains("index on"))
                    .anyMatch(l -> l.contains("timestamp mapping") && l.contains("mapped as date"))
                    .anyMatch(l -> l.contains("checkpoint store") && l.contains("none yet"))
                    .anyMatch(l -> l.contains("election") && l.contains("none"))
                    .anyMatch(l -> l.contains("clock difference") && l.contains("Cassandra"));
            assertThat(lines(out, "✘")).as(out).isEmpty();
        }
    }

    @Test
    void a_key_without_the_write_privilege_and_a_role_without_modify_fail_naming_what_to_grant(@TempDir Path workDir) {
        try (SecuredStores stores = SecuredStores.fresh("preflightdeny")) {
            stores.test().createTable("name text");
            stores.test().cql("CREATE INDEX ON " + stores.test().qualifiedTable() + " (last_modified) USING 'sai'");
            stores.test().createIndex();
            // everything the daemon uses but index (its bulk writes) and MODIFY (its writes to Cassandra)
            Map<String, String> daemon = stores.daemonAs(stores.cassandraRole("SELECT ON TABLE %s; ALTER ON TABLE %s"),
                    null, null);
            daemon.put("sync.create-schema", "false");
            daemon.put("sync.elasticsearch.api-key", stores.apiKey(
                    "\"read\", \"view_index_metadata\", \"indices:admin/mapping/put\", \"indices:admin/refresh\""));

            Check check = check(workDir, daemon);
            int exit = check.exit();
            String out = check.out();
            assertThat(exit).as(out).isEqualTo(1);
            String index = stores.test().index();
            assertThat(lines(out, "✘")).as(out)
                    .anyMatch(l -> l.contains("Elasticsearch privileges")
                            && l.contains("missing on index " + index + ": index (to write documents to index " + index))
                    .anyMatch(l -> l.contains("Cassandra permissions") && l.contains("lacks MODIFY on TABLE "
                            + stores.test().qualifiedTable()))
                    .hasSize(2);
            assertThat(out).contains("fix: ", "grant the index privilege index on " + index,
                    "GRANT MODIFY ON TABLE " + stores.test().qualifiedTable() + " TO " + stores.lastRole());
            assertThat(out).doesNotContain(stores.rolePassword(stores.lastRole()));
        }
    }

    @Test
    void a_table_without_a_timestamp_index_is_a_warning_that_every_cycle_reads_the_whole_table(@TempDir Path workDir) {
        try (SecuredStores stores = SecuredStores.fresh("preflightscan")) {
            stores.test().createTable("name text");
            stores.test().createIndex();
            Check check = check(workDir, asTheDocumentedSyncRole(stores));
            int exit = check.exit();
            String out = check.out();
            assertThat(exit).as("a warning is not a failure: " + out).isZero();
            assertThat(lines(out, "⚠")).as(out).singleElement().asString().contains("timestamp index",
                    "no storage-attached index on " + stores.test().qualifiedTable() + " (last_modified)",
                    "every cycle reads the whole table");
            assertThat(out).contains("CREATE INDEX " + stores.test().table() + "_last_modified_sai ON "
                    + stores.test().qualifiedTable() + " (last_modified) USING 'sai'");
        }
    }

    /** The daemon as a role and a user holding exactly what docs/security.md lists for sync, creating nothing. */
    private static Map<String, String> asTheDocumentedSyncRole(SecuredStores stores) {
        Map<String, String> daemon = stores.daemonAs(stores.cassandraRole(SecuredStores.SYNC_ONLY),
                SandboxSecrets.SYNC_USER, stores.secrets().elasticsearchSyncPassword());
        daemon.put("sync.create-schema", "false");
        return daemon;
    }

    /** What {@code java -jar cassandra-es-sync.jar check} printed and its exit code. */
    private record Check(int exit, String out) {
    }

    private static Check check(Path workDir, Map<String, String> daemon) {
        PackagedJar jar = PackagedJar.in(workDir).properties(daemon).log(workDir.resolve("check.log"));
        int exit = jar.runToEnd(LIMIT, "check");
        return new Check(exit, jar.output());
    }

    private static List<String> lines(String out, String mark) {
        return out.lines().filter(l -> l.stripLeading().startsWith(mark)).toList();
    }
}

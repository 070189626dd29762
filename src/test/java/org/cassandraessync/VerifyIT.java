package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * {@code verify} and {@code dry-run} against stores that differ in every way they can: a record on
 * one side only, an older copy, the same timestamp with different content, and a record written
 * with a {@code last_modified} older than the checkpoint, which the daemon never sees.
 */
class VerifyIT {

    private record Planted(UUID inSync, UUID onlyInCassandra, UUID onlyInElasticsearch, UUID olderInElasticsearch,
            UUID sameTimestampDifferentContent, UUID behindTheCheckpoint) {
    }

    private record Run(int exitCode, String console) {
    }

    @Test
    void verify_reports_every_kind_of_difference_and_repair_makes_the_stores_agree() throws Exception {
        try (TestStores stores = TestStores.fresh("verify")) {
            Planted p = plantDifferences(stores);
            Path report = stores.stateDir().resolve("verify.json");

            Run first = run(stores, "verify", "--output", report.toString());
            assertThat(first.exitCode()).as(first.console()).isEqualTo(SyncCommands.DIFFER);
            Map<String, String> found = differences(report);
            assertThat(found).containsOnly(
                    Map.entry(p.onlyInCassandra().toString(), "missing_in_elasticsearch"),
                    Map.entry(p.behindTheCheckpoint().toString(), "missing_in_elasticsearch"),
                    Map.entry(p.onlyInElasticsearch().toString(), "missing_in_cassandra"),
                    Map.entry(p.olderInElasticsearch().toString(), "newer_in_cassandra"),
                    Map.entry(p.sameTimestampDifferentContent().toString(), "same_timestamp_different_content"));
            assertThat(first.console()).contains("missing in Elasticsearch", "2", p.behindTheCheckpoint().toString());

            Run repair = run(stores, "verify", "--repair");
            assertThat(repair.exitCode()).as("differences were found").isEqualTo(SyncCommands.DIFFER);
            assertThat(repair.console()).containsPattern("repaired \\(newest version written\\)\\s+5");

            Run after = run(stores, "verify");
            assertThat(after.exitCode()).as(after.console()).isEqualTo(SyncCommands.AGREE);
            assertThat(after.console()).containsPattern("differences +0: the stores agree");
            assertThat(stores.document(p.olderInElasticsearch()).orElseThrow()).containsEntry("name", "newer");
            assertThat(stores.document(p.sameTimestampDifferentContent()).orElseThrow())
                    .as("the tie-breaker (cassandra) wins").containsEntry("name", "cassandra's");
            assertThat(stores.cassandraRow(p.onlyInElasticsearch())).isPresent();
            assertThat(stores.document(p.behindTheCheckpoint())).isPresent();
            assertThat(stores.deadLetters()).as("verify files no dead letter").isEmpty();
        }
    }

    @Test
    void dry_run_lists_what_the_next_cycle_would_write_and_writes_nothing() throws Exception {
        try (TestStores stores = TestStores.fresh("dryrun")) {
            Planted p = plantDifferences(stores);
            Path checkpoint = stores.stateDir().resolve("checkpoint-default.json");
            String checkpointBefore = Files.readString(checkpoint);
            Map<String, Object> olderDocument = stores.document(p.olderInElasticsearch()).orElseThrow();

            Run dry = run(stores, "dry-run");
            assertThat(dry.exitCode()).as(dry.console()).isZero();
            assertThat(dry.console())
                    .contains("cassandra→elasticsearch would write 3 (missing 1, older 1, tie-break 1)")
                    .contains("elasticsearch→cassandra would write 1 (missing 1, older 0, tie-break 0)")
                    .contains(p.onlyInCassandra() + "  missing")
                    .contains(p.olderInElasticsearch() + "  older")
                    .contains(p.sameTimestampDifferentContent() + "  tie-break")
                    .contains(p.onlyInElasticsearch() + "  missing")
                    .as("the record behind the checkpoint is outside the next cycle's window")
                    .doesNotContain(p.behindTheCheckpoint().toString());
            assertThat(Files.readString(checkpoint)).as("checkpoint unchanged").isEqualTo(checkpointBefore);
            assertThat(stores.document(p.onlyInCassandra())).as("nothing written to Elasticsearch").isEmpty();
            assertThat(stores.document(p.olderInElasticsearch()).orElseThrow()).isEqualTo(olderDocument);
            assertThat(stores.cassandraRow(p.onlyInElasticsearch())).as("nothing written to Cassandra").isEmpty();
        }
    }

    @Test
    void verify_reads_the_table_in_token_ranges_and_skips_the_elasticsearch_pass_when_every_document_is_a_copy()
            throws Exception {
        try (TestStores stores = TestStores.fresh("verify_ranges")) {
            stores.createTable("name text, qty int");
            stores.createIndex();
            Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < 2_500; i++) {
                stores.insertInto("name", "qty").row(UUID.randomUUID(), t0.plusMillis(i), "row " + i, i);
            }
            RunningDaemon.runOneCycle(stores.daemonProperties());

            Run agree = run(stores, "verify");
            assertThat(agree.exitCode()).as(agree.console()).isEqualTo(SyncCommands.AGREE);
            // four token ranges, every row exactly once; every document found as a row's copy
            assertThat(agree.console()).contains("2500 records read in Cassandra, 2500 in Elasticsearch")
                    .contains("every Elasticsearch document is the copy of a row");

            UUID onlyInElasticsearch = UUID.randomUUID();
            stores.index(onlyInElasticsearch, Map.of("last_modified", Timestamps.format(t0), "name", "only in es"));
            Path report = stores.stateDir().resolve("verify.json");
            Run differ = run(stores, "verify", "--output", report.toString());
            assertThat(differ.exitCode()).as(differ.console()).isEqualTo(SyncCommands.DIFFER);
            assertThat(differences(report)).containsOnly(Map.entry(onlyInElasticsearch.toString(), "missing_in_cassandra"));
            assertThat(differ.console()).contains("2500 records read in Cassandra, 2501 in Elasticsearch")
                    .doesNotContain("every Elasticsearch document is the copy of a row");
        }
    }

    @Test
    void an_unknown_pair_is_an_error_naming_the_pairs() {
        try (TestStores stores = TestStores.fresh("verify_err")) {
            stores.createTable("name text");
            Run run = run(stores, "verify", "--pair", "nosuch");
            assertThat(run.exitCode()).as(run.console()).isEqualTo(SyncCli.ERROR);
            assertThat(run.console()).contains("verify failed: no pair named 'nosuch' (pairs: default)");
        }
    }

    /** Three records synced by the daemon, then changes made while no daemon runs. */
    private static Planted plantDifferences(TestStores stores) throws Exception {
        stores.createTable("name text");
        stores.createIndex();
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        UUID inSync = insert(stores, t0, "in sync");
        UUID older = insert(stores, t0, "older");
        UUID tie = insert(stores, t0, "tie");
        RunningDaemon.runOneCycle(stores.daemonProperties());
        assertThat(stores.document(tie)).as("synced by the daemon").isPresent();

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID onlyInCassandra = insert(stores, now, "only in cassandra");
        UUID onlyInElasticsearch = UUID.randomUUID();
        stores.index(onlyInElasticsearch, Map.of("last_modified", Timestamps.format(now), "name", "only in es"));
        stores.cql("UPDATE " + stores.qualifiedTable() + " SET name = ?, last_modified = ? WHERE id = ?", "newer",
                now, older);
        // changed on both sides at the same millisecond, differently
        stores.cql("UPDATE " + stores.qualifiedTable() + " SET name = ?, last_modified = ? WHERE id = ?",
                "cassandra's", now, tie);
        stores.index(tie, Map.of("last_modified", Timestamps.format(now), "name", "elasticsearch's"));
        // an application that back-dates a record: before the checkpoint, invisible to every cycle
        UUID behind = insert(stores, t0.minus(1, ChronoUnit.DAYS), "behind the checkpoint");
        stores.refresh();
        return new Planted(inSync, onlyInCassandra, onlyInElasticsearch, older, tie, behind);
    }

    private static UUID insert(TestStores stores, Instant lastModified, String name) {
        UUID id = UUID.randomUUID();
        stores.insertInto("name").row(id,
                lastModified, name);
        return id;
    }

    private static Run run(TestStores stores, String... args) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Map<String, String> properties = new HashMap<>(stores.daemonProperties());
        PrintStream printed = new PrintStream(console, true, StandardCharsets.UTF_8);
        int code = new SyncCli(printed, printed, properties).execute(args);
        return new Run(code, console.toString(StandardCharsets.UTF_8));
    }

    /** id → difference, from the JSON report. */
    private static Map<String, String> differences(Path report) throws Exception {
        JsonNode root = new ObjectMapper().readTree(report.toFile());
        Map<String, String> found = new HashMap<>();
        for (JsonNode pair : root.get("pairs")) {
            for (JsonNode d : pair.get("differences")) {
                found.put(d.get("id").asText(), d.get("difference").asText());
            }
        }
        return found;
    }
}

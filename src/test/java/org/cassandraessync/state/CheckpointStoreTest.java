package org.cassandraessync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.cassandraessync.record.Json;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    private static final Instant C = Instant.parse("2026-12-01T12:00:00.120Z");
    private static final Instant E = Instant.parse("2026-12-01T12:00:01.000Z");

    @TempDir
    Path dir;

    @Test
    void no_file_means_no_checkpoint_a_full_reconciliation() {
        assertThat(new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1").load()).isEmpty();
    }

    @Test
    void saved_watermarks_are_loaded_back_to_the_millisecond_and_nothing_else_is_left_behind() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1");
        store.save(Map.of(Side.CASSANDRA, C, Side.ELASTICSEARCH, E));
        assertThat(new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1").load())
                .containsEntry(Side.CASSANDRA, C).containsEntry(Side.ELASTICSEARCH, E);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoint-products.json");
        }
    }

    @Test
    void a_cycles_position_is_kept_beside_the_watermarks_refused_to_an_older_term_and_cleared_by_their_commit() {
        CheckpointStore store = new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1");
        store.save(Map.of(Side.CASSANDRA, C, Side.ELASTICSEARCH, E));
        long term = store.beginTerm();
        CyclePosition position = new CyclePosition(
                Map.of(Side.CASSANDRA, new SyncWindow(C, E, new SyncWindow.Range(C, C)),
                        Side.ELASTICSEARCH, new SyncWindow(null, E)),
                Map.of(Side.ELASTICSEARCH, "2026-12-01T11:00:00.000Z"), java.util.Set.of(Side.CASSANDRA),
                Map.of(Side.CASSANDRA, C));
        store.savePosition(position, term);

        CheckpointStore another = new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-2");
        assertThat(another.position()).contains(position);
        assertThat(another.load()).as("the watermarks stay").containsEntry(Side.CASSANDRA, C);
        long newer = another.beginTerm();
        assertThatThrownBy(() -> store.savePosition(position, term)).isInstanceOf(StaleTermException.class);

        another.save(Map.of(Side.CASSANDRA, E, Side.ELASTICSEARCH, E), newer);
        assertThat(store.position()).as("the cycle ended").isEmpty();
    }

    @Test
    void each_pair_has_its_own_file() {
        new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1").save(Map.of(Side.CASSANDRA, C));
        assertThat(new CheckpointStore(dir, "customers", null, Json.newMapper(), "instance-1").load()).isEmpty();
    }

    @Test
    void the_checkpoint_of_a_daemon_from_before_pairs_is_taken_over_by_the_pair_of_the_same_table() throws Exception {
        Path legacy = dir.resolve("checkpoint-shop.products-products.json");
        Files.writeString(legacy, "{\"cassandra\": \"2026-12-01T12:00:00.120Z\", \"elasticsearch\": \"2026-12-01T12:00:01.000Z\"}");
        CheckpointStore store = new CheckpointStore(dir, "default", "shop.products-products", Json.newMapper(), "instance-1");
        assertThat(store.load()).containsEntry(Side.CASSANDRA, C).containsEntry(Side.ELASTICSEARCH, E);
        assertThat(legacy).doesNotExist();
        assertThat(dir.resolve("checkpoint-default.json")).exists();
    }

    @Test
    void an_unreadable_checkpoint_fails_with_what_to_do() throws Exception {
        Files.writeString(dir.resolve("checkpoint-products.json"), "{\"cassandra\": \"yesterday\"}");
        CheckpointStore store = new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1");
        assertThatThrownBy(store::load).hasMessageContaining("checkpoint-products.json")
                .hasMessageContaining("delete it to reconcile both stores fully");
    }

    @Test
    void a_deposed_leaders_commit_is_refused_once_another_instance_began_a_newer_term() {
        CheckpointStore old = new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1");
        CheckpointStore next = new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-2");
        long oldTerm = old.beginTerm();
        old.save(Map.of(Side.CASSANDRA, C, Side.ELASTICSEARCH, C), oldTerm);
        long newTerm = next.beginTerm();
        next.save(Map.of(Side.CASSANDRA, E, Side.ELASTICSEARCH, E), newTerm);

        assertThat(newTerm).isEqualTo(oldTerm + 1);
        assertThatThrownBy(() -> old.save(Map.of(Side.CASSANDRA, C, Side.ELASTICSEARCH, C), oldTerm))
                .isInstanceOf(StaleTermException.class)
                .hasMessage("commit of term 1 refused by " + dir.resolve("checkpoint-products.json") + ": instance"
                        + " instance-2 began term 2 since (fencing); this instance no longer leads the pair");
        assertThat(next.load()).as("the newer term's checkpoint stays").containsEntry(Side.CASSANDRA, E);
        assertThat(next.lastCommit()).map(Checkpoints.Commit::instance).contains("instance-2");
        assertThat(next.currentTerm()).contains(new Checkpoints.Term(2, "instance-2"));
    }

    @Test
    void terms_only_grow_and_a_commit_without_an_election_keeps_the_term() {
        CheckpointStore store = new CheckpointStore(dir, "products", null, Json.newMapper(), "instance-1");
        assertThat(store.currentTerm()).isEmpty();
        assertThat(store.beginTerm()).isEqualTo(1);
        assertThat(store.beginTerm()).isEqualTo(2);
        store.save(Map.of(Side.CASSANDRA, C));
        assertThat(store.currentTerm()).contains(new Checkpoints.Term(2, "instance-1"));
        assertThat(store.load()).containsEntry(Side.CASSANDRA, C);
        assertThat(store.beginTerm()).isEqualTo(3);
        assertThat(store.load()).as("beginning a term keeps the watermarks").containsEntry(Side.CASSANDRA, C);
    }
}

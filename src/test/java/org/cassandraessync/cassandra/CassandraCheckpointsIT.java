package org.cassandraessync.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.CyclePosition;
import org.cassandraessync.state.StaleTermException;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/** The checkpoint row in Cassandra fences a deposed leader with a lightweight transaction on the term. */
class CassandraCheckpointsIT {

    private static final Instant OLD = Instant.parse("2026-12-01T12:00:00.120Z");
    private static final Instant NEW = Instant.parse("2026-12-01T12:00:05.000Z");
    private static final String TABLE = "cassandra_es_sync_checkpoints";

    @Test
    void a_stale_leader_tries_to_commit_after_a_newer_term_began_and_is_refused() {
        try (TestStores stores = TestStores.fresh("fencing")) {
            stores.createKeyspace();
            Checkpoints stale = checkpoints(stores, "instance-1");
            Checkpoints leader = checkpoints(stores, "instance-2");
            long staleTerm = stale.beginTerm();
            stale.save(Map.of(Side.CASSANDRA, OLD, Side.ELASTICSEARCH, OLD), staleTerm);
            // instance-1 freezes; instance-2 is elected and begins its term, then commits
            long leaderTerm = leader.beginTerm();
            leader.save(Map.of(Side.CASSANDRA, NEW, Side.ELASTICSEARCH, NEW), leaderTerm);

            assertThatThrownBy(() -> stale.save(Map.of(Side.CASSANDRA, OLD, Side.ELASTICSEARCH, OLD), staleTerm))
                    .isInstanceOf(StaleTermException.class)
                    .hasMessage("commit of term 1 refused by Cassandra table " + stores.keyspace() + "." + TABLE
                            + " (pair 'orders'): instance instance-2 began term 2 since (fencing); this instance no"
                            + " longer leads the pair");
            assertThat(leader.load()).as("the newer term's checkpoints stay")
                    .containsEntry(Side.CASSANDRA, NEW).containsEntry(Side.ELASTICSEARCH, NEW);
            assertThat(leader.lastCommit()).map(Checkpoints.Commit::instance).contains("instance-2");
            assertThat(stale.currentTerm()).contains(new Checkpoints.Term(2, "instance-2"));
        }
    }

    @Test
    void a_checkpoint_table_of_an_earlier_version_gets_the_term_and_its_commits_are_kept() {
        try (TestStores stores = TestStores.fresh("fencing_upgrade")) {
            stores.createKeyspace();
            stores.cassandra().execute("CREATE TABLE " + stores.keyspace() + "." + TABLE + " (pair text PRIMARY KEY,"
                    + " cassandra text, elasticsearch text, instance text, committed timestamp)");
            stores.cassandra().execute("INSERT INTO " + stores.keyspace() + "." + TABLE + " (pair, cassandra,"
                    + " elasticsearch, instance, committed) VALUES ('orders', '2026-12-01T12:00:00.120Z',"
                    + " '2026-12-01T12:00:00.120Z', 'instance-0', toTimestamp(now()))");
            stores.cassandra().refreshSchema();
            Checkpoints upgraded = checkpoints(stores, "instance-1");

            assertThat(upgraded.currentTerm()).isEmpty();
            long term = upgraded.beginTerm();
            assertThat(term).isEqualTo(1);
            assertThat(upgraded.load()).as("the commit of the earlier version").containsEntry(Side.CASSANDRA, OLD);
            upgraded.save(Map.of(Side.CASSANDRA, NEW, Side.ELASTICSEARCH, NEW), term);
            assertThat(upgraded.load()).containsEntry(Side.CASSANDRA, NEW);
        }
    }

    /**
     * A long cycle's position, kept in the row beside the checkpoints: read back as it was
     * committed, refused to a stale leader, cleared by the commit of the watermarks; a table of an
     * earlier version gets its column at the first commit (and none is read from it before).
     */
    @Test
    void a_cycles_position_is_kept_in_the_row_fenced_by_the_term_and_cleared_by_the_commit() {
        try (TestStores stores = TestStores.fresh("position")) {
            stores.createKeyspace();
            stores.cassandra().execute("CREATE TABLE " + stores.keyspace() + "." + TABLE + " (pair text PRIMARY KEY,"
                    + " cassandra text, elasticsearch text, instance text, committed timestamp, term bigint,"
                    + " term_instance text)");
            stores.cassandra().refreshSchema();
            Checkpoints stale = checkpoints(stores, "instance-1");
            Checkpoints leader = checkpoints(stores, "instance-2");
            assertThat(leader.position()).as("a table without the column holds none").isEmpty();
            long staleTerm = stale.beginTerm();
            CyclePosition position = new CyclePosition(
                    Map.of(Side.CASSANDRA, new SyncWindow(null, NEW), Side.ELASTICSEARCH,
                            new SyncWindow(OLD, NEW, new SyncWindow.Range(OLD, OLD))),
                    Map.of(Side.CASSANDRA, "token -42"), java.util.Set.of(), Map.of(Side.ELASTICSEARCH, NEW));
            stale.savePosition(position, staleTerm);
            assertThat(leader.position()).as("read back as committed").contains(position);

            long leaderTerm = leader.beginTerm();
            assertThatThrownBy(() -> stale.savePosition(position, staleTerm)).isInstanceOf(StaleTermException.class);
            CyclePosition further = new CyclePosition(position.windows(), Map.of(Side.CASSANDRA, "token 42"),
                    java.util.Set.of(Side.CASSANDRA), Map.of());
            leader.savePosition(further, leaderTerm);
            assertThat(stale.position()).contains(further);

            leader.save(Map.of(Side.CASSANDRA, NEW, Side.ELASTICSEARCH, NEW), leaderTerm);
            assertThat(leader.position()).as("the cycle ended").isEmpty();
            assertThat(leader.load()).containsEntry(Side.CASSANDRA, NEW);
        }
    }

    @Test
    void two_instances_beginning_a_term_at_once_get_different_numbers() throws Exception {
        try (TestStores stores = TestStores.fresh("fencing_race")) {
            stores.createKeyspace();
            Checkpoints a = checkpoints(stores, "instance-1");
            Checkpoints b = checkpoints(stores, "instance-2");
            a.beginTerm();
            var first = java.util.concurrent.CompletableFuture.supplyAsync(a::beginTerm);
            var second = java.util.concurrent.CompletableFuture.supplyAsync(b::beginTerm);
            assertThat(java.util.List.of(first.get(), second.get())).containsExactlyInAnyOrder(2L, 3L);
        }
    }

    private static Checkpoints checkpoints(TestStores stores, String instance) {
        return new CassandraCheckpoints(stores::cassandra, stores.keyspace(), TABLE, "orders", instance, null);
    }
}

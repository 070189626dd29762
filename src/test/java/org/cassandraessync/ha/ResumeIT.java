package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.curator.test.TestingServer;
import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * A long first copy that does not end where it began: the daemon killed with {@code kill -9}
 * half-way and started again, or its leader killed half-way and another instance taking over. The
 * cycle after goes on from the position the copy committed as it went, instead of reading the
 * table again from its start; what changed meanwhile, before and after that position, arrives
 * too, and both stores end up holding the same records.
 */
class ResumeIT {

    private static final Pattern GOES_ON = Pattern.compile("cycle \\d+ goes on from where a cycle that began at");
    private static final Duration COPY = Duration.ofSeconds(240);

    /**
     * 200,000 rows copied to Elasticsearch, the daemon killed half-way: after the restart its
     * first cycle reads at most what was left plus a tenth of the table (it read all of it before).
     */
    @Test
    void a_copy_of_200000_rows_killed_half_way_reads_at_most_what_was_left_plus_a_tenth_after_the_restart()
            throws Exception {
        int rows = 200_000;
        try (TestStores stores = TestStores.fresh("resume_kill")) {
            List<UUID> ids = rowsInCassandra(stores, rows);
            Map<String, String> stateDir = Map.of("sync.state-dir",
                    stores.stateDir().resolveSibling(stores.keyspace() + "-shared").toAbsolutePath().toString());
            try (Instances instances = new Instances(Map.of("rows", stores), "resume-kill")) {
                DaemonProcess first = instances.start("instance-1", stateDir);
                awaitDocuments(stores, rows / 2);
                first.kill();
                long landed = stores.count();
                changeWhileDown(stores, ids);

                LocalTime restartedAt = LocalTime.now();
                DaemonProcess second = instances.restart("instance-1");
                DaemonProcess.Cycle goingOn = second.awaitCycle("the first cycle after the restart",
                        c -> c.pair().equals("rows"), COPY);
                System.out.printf("[resume] killed with %d of %d rows in Elasticsearch; the cycle after the restart"
                        + " read %d from Cassandra (at most %d allowed)%n", landed, rows, goingOn.readCassandra(),
                        rows - landed + rows / 10);
                assertThat(landed).as("killed half-way").isLessThan(rows);
                assertThat(Instances.logged(second, GOES_ON, restartedAt)).as("it says where it goes on from")
                        .isNotEmpty();
                assertThat(goingOn.readCassandra()).as("read after the restart: what was left plus a tenth at most")
                        .isLessThanOrEqualTo(rows - landed + rows / 10);
                awaitTheChanges(stores, ids, rows);
            }
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    /**
     * The same with two instances electing with ZooKeeper, the checkpoints and the position in
     * Cassandra: the leader killed half-way, the standby's first cycle goes on from the position.
     */
    @Test
    void a_copy_whose_leader_is_killed_half_way_goes_on_from_its_position_on_the_instance_that_takes_over()
            throws Exception {
        int rows = 100_000;
        try (TestingServer zookeeper = new TestingServer(true);
                TestStores stores = TestStores.fresh("resume_failover")) {
            List<UUID> ids = rowsInCassandra(stores, rows);
            try (Instances instances = new Instances(Map.of("rows", stores), "resume-failover")) {
                instances.startWithZooKeeper("instance-1", zookeeper.getConnectString(), Duration.ofSeconds(6));
                instances.startWithZooKeeper("instance-2", zookeeper.getConnectString(), Duration.ofSeconds(6));
                await("one instance leads the copy").atMost(COPY).until(() -> instances.leaders("rows").size() == 1);
                String leader = instances.leaders("rows").iterator().next();
                String standby = leader.equals("instance-1") ? "instance-2" : "instance-1";
                awaitDocuments(stores, rows / 2);
                LocalTime killedAt = LocalTime.now();
                instances.get(leader).kill();
                long landed = stores.count();
                changeWhileDown(stores, ids);

                await("the standby leads").atMost(Duration.ofSeconds(30))
                        .until(() -> instances.leaders("rows").equals(Set.of(standby)));
                DaemonProcess.Cycle goingOn = instances.get(standby).awaitCycle("the new leader's first cycle",
                        c -> c.pair().equals("rows"), COPY);
                System.out.printf("[resume] leader %s killed with %d of %d rows in Elasticsearch; %s's first cycle"
                        + " read %d from Cassandra (at most %d allowed)%n", leader, landed, rows, standby,
                        goingOn.readCassandra(), rows - landed + rows / 10);
                assertThat(Instances.logged(instances.get(standby), GOES_ON, killedAt)).as("it goes on from the"
                        + " position the killed leader committed").isNotEmpty();
                assertThat(goingOn.readCassandra()).as("read by the new leader: what was left plus a tenth at most")
                        .isLessThanOrEqualTo(rows - landed + rows / 10);
                awaitTheChanges(stores, ids, rows);
            }
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    /** {@code count} rows in the test's table, stamped an hour ago; answers their ids. */
    private static List<UUID> rowsInCassandra(TestStores stores, int count) {
        stores.createTable("name text");
        stores.createIndex();
        Instant hourAgo = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));
        List<UUID> ids = new ArrayList<>(count);
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            rows.add(new Object[] {id, hourAgo.plusMillis(i), "v1"});
        }
        stores.insertInto("name").rows(rows);
        return ids;
    }

    private static void awaitDocuments(TestStores stores, long count) {
        await("at least " + count + " documents copied").atMost(COPY).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> stores.count() >= count);
    }

    /** While no daemon copies: the first and the last hundred rows change (new timestamps), wherever the copy stood. */
    private static void changeWhileDown(TestStores stores, List<UUID> ids) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Object[]> changed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            changed.add(new Object[] {ids.get(i), now, "v2"});
            changed.add(new Object[] {ids.get(ids.size() - 1 - i), now, "v2"});
        }
        stores.insertInto("name").rows(changed);
    }

    private static void awaitTheChanges(TestStores stores, List<UUID> ids, int rows) {
        await("every row copied, the changed ones at their new version").atMost(COPY)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> stores.count() == rows
                        && "v2".equals(stores.document(ids.get(0)).orElseThrow().get("name"))
                        && "v2".equals(stores.document(ids.get(99)).orElseThrow().get("name"))
                        && "v2".equals(stores.document(ids.get(ids.size() - 1)).orElseThrow().get("name")));
    }
}

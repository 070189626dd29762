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
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * A long first copy that does not end where it began: the daemon killed with {@code kill -9}
 * half-way and started again (Cassandra to Elasticsearch), or its leader killed half-way and
 * another instance taking over (Elasticsearch to Cassandra). The
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
                List<UUID> changed = changeWhileDown(stores, ids);

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
                awaitTheChanges(stores, changed, rows);
            }
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    /**
     * The other direction, with two instances electing with ZooKeeper and the checkpoints, the
     * position with them, in Cassandra: 60,000 documents copied to Cassandra, the leader killed
     * half-way; the instance that takes over goes on from the position (a timestamp, as
     * Elasticsearch is read in timestamp order).
     */
    @Test
    void a_copy_whose_leader_is_killed_half_way_goes_on_from_its_position_on_the_instance_that_takes_over()
            throws Exception {
        int documents = 60_000;
        try (TestingServer zookeeper = new TestingServer(true);
                TestStores stores = TestStores.fresh("resume_failover")) {
            stores.createTable("name text");
            stores.createIndex();
            Instant hourAgo = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));
            List<UUID> ids = new ArrayList<>(documents);
            Map<UUID, Map<String, Object>> batch = new java.util.LinkedHashMap<>();
            for (int i = 0; i < documents; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                batch.put(id, Map.of("last_modified", Timestamps.format(hourAgo.plusMillis(i)), "name", "v1"));
                if (batch.size() == 5_000) {
                    stores.indexAll(batch);
                    batch.clear();
                }
            }
            try (Instances instances = new Instances(Map.of("docs", stores), "resume-failover")) {
                instances.startWithZooKeeper("instance-1", zookeeper.getConnectString(), Duration.ofSeconds(6));
                instances.startWithZooKeeper("instance-2", zookeeper.getConnectString(), Duration.ofSeconds(6));
                await("one instance leads the copy").atMost(COPY).until(() -> instances.leaders("docs").size() == 1);
                String leader = instances.leaders("docs").iterator().next();
                String standby = leader.equals("instance-1") ? "instance-2" : "instance-1";
                await("at least half the documents copied").atMost(COPY).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> rows(stores) >= documents / 2);
                LocalTime killedAt = LocalTime.now();
                instances.get(leader).kill();
                long landed = rows(stores);
                // while no instance copies, the first and the last hundred documents change
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                List<UUID> changed = new ArrayList<>(ids.subList(0, 100));
                changed.addAll(ids.subList(ids.size() - 100, ids.size()));
                Map<UUID, Map<String, Object>> newer = new java.util.LinkedHashMap<>();
                changed.forEach(id -> newer.put(id, Map.of("last_modified", Timestamps.format(now), "name", "v2")));
                stores.indexAll(newer);

                await("the standby leads").atMost(Duration.ofSeconds(30))
                        .until(() -> instances.leaders("docs").equals(Set.of(standby)));
                DaemonProcess.Cycle goingOn = instances.get(standby).awaitCycle("the new leader's first cycle",
                        c -> c.pair().equals("docs"), COPY);
                System.out.printf("[resume] leader %s killed with %d of %d documents in Cassandra; %s's first cycle"
                        + " read %d from Elasticsearch (at most %d allowed)%n", leader, landed, documents, standby,
                        goingOn.readElasticsearch(), documents - landed + documents / 10);
                assertThat(Instances.logged(instances.get(standby), GOES_ON, killedAt)).as("it goes on from the"
                        + " position the killed leader committed").isNotEmpty();
                assertThat(goingOn.readElasticsearch()).as("read by the new leader: what was left plus a tenth at"
                        + " most").isLessThanOrEqualTo(documents - landed + documents / 10);
                await("every document copied, the changed ones at their new version").atMost(COPY)
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> rows(stores) == documents && rowsWith(stores, changed, "v2") == changed.size());
            }
            stores.assertBothStoresHoldTheSameRecords();
        }
    }

    private static long rows(TestStores stores) {
        return stores.cassandra().execute("SELECT COUNT(*) FROM " + stores.qualifiedTable()).one().getLong(0);
    }

    private static long rowsWith(TestStores stores, List<UUID> ids, String name) {
        return stores.cassandra().execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("SELECT"
                + " name FROM " + stores.qualifiedTable() + " WHERE id IN ?", ids)).all().stream()
                .filter(r -> name.equals(r.getString("name"))).count();
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

    /**
     * While no daemon copies: the first and the last hundred rows change (new timestamps), wherever
     * the copy stood; answers their ids.
     */
    private static List<UUID> changeWhileDown(TestStores stores, List<UUID> ids) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<UUID> changedIds = new ArrayList<>(ids.subList(0, 100));
        changedIds.addAll(ids.subList(ids.size() - 100, ids.size()));
        stores.insertInto("name").rows(changedIds.stream().map(id -> new Object[] {id, now, "v2"}).toList());
        return changedIds;
    }

    private static void awaitTheChanges(TestStores stores, List<UUID> changed, int rows) {
        await("every row copied, the changed ones at their new version").atMost(COPY)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> stores.count() == rows && stores.documentsWith(changed, "name", "v2") == changed.size());
    }
}

package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.curator.test.TestingServer;
import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.bench.DaemonProcess.Cycle;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * Three daemon processes share two pairs. Per pair exactly one of them runs cycles; when the leader
 * of a pair is killed (SIGKILL) in the middle of a cycle while both stores receive writes, another
 * instance leads the pair within 15 s, goes on from the last committed checkpoint (no full
 * reconciliation), and nothing is lost or overwritten by an older version.
 */
class FailoverIT {

    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);

    @Test
    void file_lock_on_a_shared_folder_one_runner_per_pair_and_failover_from_the_shared_checkpoint() throws Exception {
        try (TestStores orders = TestStores.fresh("ha_file_orders");
                TestStores invoices = TestStores.fresh("ha_file_invoices")) {
            Path shared = orders.stateDir().resolveSibling(orders.keyspace() + "-shared").toAbsolutePath();
            Map<String, String> ha = Map.of("sync.ha.cluster-service", "file", "sync.state-dir", shared.toString(),
                    "sync.ha.standby-delay", "20s");
            // instances 1 and 3 prefer orders, instance 2 invoices: the pairs spread over the instances
            Map<String, Map<String, String>> instances = new LinkedHashMap<>();
            instances.put("instance-1", with(ha, "sync.ha.preferred-pairs", "orders"));
            instances.put("instance-2", with(ha, "sync.ha.preferred-pairs", "invoices"));
            instances.put("instance-3", with(ha, "sync.ha.preferred-pairs", "orders"));
            FailoverScenario.Result result = new FailoverScenario(orders, invoices, "file").run(instances);

            assertThat(result.leadersBefore().get("invoices")).as("the instance that prefers invoices leads it")
                    .isEqualTo("instance-2");
            assertThat(result.leadersBefore().get("orders")).as("an instance that prefers orders leads it")
                    .isIn("instance-1", "instance-3");
            // preferences decide who leads first; after a failover any standby may win the lock
            assertThat(result.newLeader()).as("another instance takes over")
                    .isNotEqualTo(result.leadersBefore().get("orders"));
            assertThat(shared.resolve("checkpoint-orders.json")).as("the checkpoint in the shared folder").exists();
            assertThat(shared.resolve("leadership").resolve("cassandra-es-sync-orders")).as("the pair's lock file")
                    .exists();
        }
    }

    @Test
    void zookeeper_one_runner_per_pair_and_failover_from_the_checkpoint_in_cassandra() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true);
                TestStores orders = TestStores.fresh("ha_zk_orders");
                TestStores invoices = TestStores.fresh("ha_zk_invoices")) {
            Map<String, String> ha = Map.of("sync.ha.cluster-service", "zookeeper",
                    "sync.ha.zookeeper.nodes", zookeeper.getConnectString(),
                    "sync.ha.zookeeper.session-timeout", "6s");
            Map<String, Map<String, String>> instances = new LinkedHashMap<>();
            for (String name : List.of("instance-1", "instance-2", "instance-3")) {
                // each instance its own state folder: the checkpoints are in Cassandra (sync.checkpoint-store=auto)
                Path local = orders.stateDir().resolveSibling(orders.keyspace() + "-" + name).toAbsolutePath();
                instances.put(name, with(ha, "sync.state-dir", local.toString()));
            }
            FailoverScenario.Result result = new FailoverScenario(orders, invoices, "zookeeper").run(instances);

            assertThat(result.newLeader()).isNotEqualTo(result.leadersBefore().get("orders"));
            for (TestStores pair : List.of(orders, invoices)) {
                String pairName = pair == orders ? "orders" : "invoices";
                var row = pair.cassandra().execute("SELECT cassandra, elasticsearch, instance FROM " + pair.keyspace()
                        + ".cassandra_es_sync_checkpoints WHERE pair = ?", pairName).one();
                assertThat(row).as("the checkpoint row of " + pairName + " in its keyspace").isNotNull();
                assertThat(row.getString("cassandra")).isNotBlank();
                assertThat(row.getString("instance")).startsWith("instance-");
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    /** The pairs each process ran cycles of. */
    static Map<String, Set<String>> runners(Map<String, DaemonProcess> processes, List<String> pairs) {
        Map<String, Set<String>> result = new HashMap<>();
        for (String pair : pairs) {
            result.put(pair, processes.entrySet().stream()
                    .filter(p -> p.getValue().cycles().stream().map(Cycle::pair).anyMatch(pair::equals))
                    .map(Map.Entry::getKey).collect(Collectors.toSet()));
        }
        return result;
    }

    static Duration takeoverBound() {
        return TAKEOVER_BOUND;
    }
}

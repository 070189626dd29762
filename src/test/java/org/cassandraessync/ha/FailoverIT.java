package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.curator.test.TestingServer;
import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.bench.DaemonProcess.Cycle;
import org.cassandraessync.support.Http;
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

    @Test
    void two_instances_on_one_host_without_an_instance_id_are_told_apart() throws Exception {
        try (TestStores stores = TestStores.fresh("ha_default_ids")) {
            stores.createTable("name text");
            stores.createIndex();
            Path shared = stores.stateDir().resolveSibling(stores.keyspace() + "-shared").toAbsolutePath();
            Map<String, String> properties = new LinkedHashMap<>(stores.sandbox().connectionProperties());
            properties.putAll(stores.pairDeclaration("orders"));
            properties.put("sync.period", "1s");
            properties.put("sync.ha.cluster-service", "file");
            properties.put("sync.state-dir", shared.toString());
            // no sync.ha.instance-id: docs/several-instances.md's example for one host leaves it to the default
            Path runs = Path.of("target", "it-ha", "default-ids-" + stores.keyspace()).toAbsolutePath();
            List<DaemonProcess> daemons = List.of(
                    DaemonProcess.start(Path.of(System.getProperty("app.jar")), "256m", List.of(), properties,
                            runs.resolve("a")),
                    DaemonProcess.start(Path.of(System.getProperty("app.jar")), "256m", List.of(), properties,
                            runs.resolve("b")));
            try {
                Pattern tag = Pattern.compile("(?m)^cassandra_es_sync_leader\\{[^}]*instance=\"([^\"]+)\"[^}]*\\} (\\S+)$");
                Map<DaemonProcess, String> ids = new LinkedHashMap<>();
                await("both instances publish their role").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .untilAsserted(() -> {
                            for (DaemonProcess d : daemons) {
                                Matcher m = tag.matcher(Http.get(d.management("/observe/metrics")).body());
                                assertThat(m.find()).isTrue();
                                ids.put(d, m.group(1));
                            }
                        });
                assertThat(ids.values()).as("instance ids of two processes on one host").doesNotHaveDuplicates()
                        .allMatch(id -> id.matches(".+-\\d+"), "host name and process id");
                // the log line of the instance that leads names it with that id
                await("one instance leads the pair").atMost(Duration.ofSeconds(90)).until(() -> daemons.stream()
                        .anyMatch(d -> leads(d).isPresent()));
                DaemonProcess leader = daemons.stream().filter(d -> leads(d).isPresent()).findFirst().orElseThrow();
                assertThat(leads(leader)).contains(ids.get(leader));
            } finally {
                daemons.forEach(DaemonProcess::close);
            }
        }
    }

    /** The instance id in the "instance X leads it" line of the daemon's log, if it led the pair. */
    private static java.util.Optional<String> leads(DaemonProcess daemon) {
        try {
            Matcher m = Pattern.compile("pair 'orders': instance (\\S+) leads it").matcher(Files.readString(daemon.log()));
            return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
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

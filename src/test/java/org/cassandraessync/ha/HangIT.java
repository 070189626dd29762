package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.curator.test.TestingServer;
import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * A leader that hangs (SIGSTOP: a long GC pause, a frozen VM) instead of dying, with each election
 * service: what the standby does meanwhile, and what the leader does when it resumes.
 */
class HangIT {

    private static final Pattern LOST = Pattern.compile("leadership of pair 'orders' lost");
    private static final Pattern REJOINED = Pattern.compile("pair 'orders': instance \\S+ left the election and"
            + " joined it again");
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    /**
     * {@code file} covers crashes only: the frozen leader keeps its operating-system lock and the
     * pair waits for it. When the lock file is replaced meanwhile (an NFS client that lost its
     * lock without noticing), the standby leads; the resumed leader is fenced by the newer term,
     * commits nothing, and joins the election again as a standby.
     */
    @Test
    void file_a_frozen_leader_keeps_its_lock_and_once_the_lock_file_is_replaced_it_is_fenced_and_rejoins_as_a_standby()
            throws Exception {
        try (TestStores orders = TestStores.fresh("hang_file")) {
            Map<String, TestStores> pairs = Map.of("orders", orders);
            WrittenVersions versions = WrittenVersions.onNewTables(pairs, 300);
            Path shared = orders.stateDir().resolveSibling(orders.keyspace() + "-shared").toAbsolutePath();
            Map<String, String> ha = Map.of("sync.ha.cluster-service", "file", "sync.state-dir", shared.toString(),
                    "sync.ha.file.retry-interval", "1s");
            try (Instances instances = new Instances(pairs, "hang-file")) {
                instances.start("instance-1", ha);
                instances.start("instance-2", ha);
                String leader = awaitOneLeader(instances);
                String standby = leader.equals("instance-1") ? "instance-2" : "instance-1";
                LeaderGauges gauges = LeaderGauges.sample(instances, "orders");
                DaemonProcess frozen = freezeWhileWriting(instances.get(leader), versions);
                LocalTime frozenAt = LocalTime.now();
                await("no instance runs the pair while its leader hangs").during(Duration.ofSeconds(6))
                        .atMost(Duration.ofSeconds(10)).until(() -> instances.leaders("orders").isEmpty()
                                && Instances.cyclesSince(instances.get(standby), "orders", frozenAt).isEmpty());

                Files.delete(shared.resolve("leadership").resolve("cassandra-es-sync-orders"));
                await("the standby takes the new lock file and runs the pair").atMost(Duration.ofSeconds(30))
                        .until(() -> instances.leaders("orders").equals(Set.of(standby))
                                && !Instances.cyclesSince(instances.get(standby), "orders", frozenAt).isEmpty());

                LocalTime thawedAt = LocalTime.now();
                long thawedNanos = System.nanoTime();
                frozen.thaw();
                await("the resumed leader learns that it was deposed").atMost(Duration.ofSeconds(20))
                        .until(() -> !Instances.logged(frozen, LOST, thawedAt).isEmpty()
                                && !Instances.logged(frozen, REJOINED, thawedAt).isEmpty());
                await("one leader, the new one").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                        .until(() -> instances.leaders("orders").equals(Set.of(standby)));
                gauges.close();
                assertOneLeaderAtATime(gauges, leader, thawedNanos);
                assertThat(Instances.cyclesSince(frozen, "orders", thawedAt)).as("cycles of the resumed leader")
                        .isEmpty();
                assertThat(Instances.cyclesSince(instances.get(standby), "orders", thawedAt))
                        .as("cycles of the new leader").isNotEmpty();
                JsonNode checkpoint = new ObjectMapper().readTree(shared.resolve("checkpoint-orders.json").toFile());
                assertThat(checkpoint.path("instance").asText()).as("the last commit's author").isEqualTo(standby);
                assertThat(checkpoint.path("term_instance").asText()).as("the newest term's leader").isEqualTo(standby);

                versions.stopWriting();
                versions.awaitNewestEverywhere(Duration.ofSeconds(120));
            }
        }
    }

    /**
     * {@code zookeeper} covers hangs longer than the session timeout: the frozen leader's session
     * expires and a standby leads; the resumed leader logs the loss, runs no cycle and commits
     * nothing.
     */
    @Test
    void zookeeper_a_leader_frozen_beyond_the_session_timeout_is_replaced_and_stops_when_it_resumes()
            throws Exception {
        try (TestingServer zookeeper = new TestingServer(true);
                TestStores orders = TestStores.fresh("hang_zk")) {
            Map<String, TestStores> pairs = Map.of("orders", orders);
            WrittenVersions versions = WrittenVersions.onNewTables(pairs, 300);
            try (Instances instances = new Instances(pairs, "hang-zk")) {
                instances.startWithZooKeeper("instance-1", zookeeper.getConnectString(), SESSION_TIMEOUT);
                instances.startWithZooKeeper("instance-2", zookeeper.getConnectString(), SESSION_TIMEOUT);
                String leader = awaitOneLeader(instances);
                String standby = leader.equals("instance-1") ? "instance-2" : "instance-1";
                LeaderGauges gauges = LeaderGauges.sample(instances, "orders");
                DaemonProcess frozen = freezeWhileWriting(instances.get(leader), versions);
                long frozenNanos = System.nanoTime();
                LocalTime frozenAt = LocalTime.now();
                await("the standby leads within the session timeout + 5 s").atMost(SESSION_TIMEOUT.plusSeconds(5))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> instances.leaders("orders").equals(Set.of(standby)));
                Duration takeover = Duration.ofNanos(System.nanoTime() - frozenNanos);
                await("the new leader's cycles run").atMost(Duration.ofSeconds(30))
                        .until(() -> Instances.cyclesSince(instances.get(standby), "orders", frozenAt).size() >= 2);
                System.out.printf("[zookeeper] %s frozen; %s leads after %d ms (session timeout %d s)%n", leader,
                        standby, takeover.toMillis(), SESSION_TIMEOUT.toSeconds());

                LocalTime thawedAt = LocalTime.now();
                long thawedNanos = System.nanoTime();
                frozen.thaw();
                await("the resumed leader logs the loss").atMost(Duration.ofSeconds(20))
                        .until(() -> !Instances.logged(frozen, LOST, thawedAt).isEmpty());
                await("one leader, the new one").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                        .until(() -> instances.leaders("orders").equals(Set.of(standby)));
                gauges.close();
                assertOneLeaderAtATime(gauges, leader, thawedNanos);
                assertThat(Instances.cyclesSince(frozen, "orders", thawedAt)).as("cycles of the resumed leader")
                        .isEmpty();
                var row = orders.cassandra().execute("SELECT instance, term_instance FROM " + orders.keyspace()
                        + ".cassandra_es_sync_checkpoints WHERE pair = 'orders'").one();
                assertThat(row.getString("instance")).as("the last commit's author").isEqualTo(standby);
                assertThat(row.getString("term_instance")).as("the newest term's leader").isEqualTo(standby);

                versions.stopWriting();
                versions.awaitNewestEverywhere(Duration.ofSeconds(120));
            }
        }
    }

    /**
     * Through the freeze and the resume, no round of samples (every 100 ms) found two instances
     * reading {@code cassandra_es_sync_leader} 1, and the resumed instance, deposed meanwhile, read 0
     * in every answer it gave after SIGCONT, the requests that waited in its queue while it was
     * frozen included.
     */
    private static void assertOneLeaderAtATime(LeaderGauges gauges, String resumed, long thawedNanos) {
        List<LeaderGauges.Round> rounds = gauges.rounds();
        List<LeaderGauges.Answer> afterThaw = gauges.answersOf(resumed, thawedNanos);
        System.out.printf("[leader gauges] %d rounds every %d ms; %s answered %d after SIGCONT, the first %d ms after"
                + " it%n", rounds.size(), LeaderGauges.EVERY_MILLIS, resumed, afterThaw.size(),
                afterThaw.stream().mapToLong(a -> (a.atNanos() - thawedNanos) / 1_000_000).min().orElse(-1));
        assertThat(rounds.stream().filter(r -> r.leaders().size() > 1).toList())
                .as("rounds in which two instances read cassandra_es_sync_leader 1").isEmpty();
        assertThat(afterThaw).as("answers of the resumed instance after SIGCONT").isNotEmpty()
                .allSatisfy(a -> assertThat(a.value()).as("its leader gauge").isZero());
    }

    /** Once the writers are at work, freezes the leader (SIGSTOP); answers it. */
    private static DaemonProcess freezeWhileWriting(DaemonProcess leader, WrittenVersions versions) {
        versions.startWriting();
        versions.awaitMore(40);
        leader.freeze();
        return leader;
    }

    /** Waits until exactly one instance leads the pair and has run a cycle of it; answers its name. */
    private static String awaitOneLeader(Instances instances) {
        LocalTime start = LocalTime.MIN;
        await("one instance leads orders and runs its cycles").atMost(Duration.ofSeconds(120))
                .until(() -> instances.leaders("orders").size() == 1 && !Instances.cyclesSince(
                        instances.get(instances.leaders("orders").iterator().next()), "orders", start).isEmpty());
        return instances.leaders("orders").iterator().next();
    }
}

package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.impl.DefaultCamelContext;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.record.Json;
import org.cassandraessync.state.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader whose process was stopped (a GC pause, SIGSTOP) does not lead on what it last heard
 * from the election: until the election, asked afresh, and the checkpoint store confirm it, it
 * reads as a standby (the leader gauge 0), and a newer term begun meanwhile deposes it. The pause
 * is a jump of the role's clock; the election is a real lock file.
 */
class ElectedRoleTest {

    private static final long PAUSE = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path stateDir;

    @Test
    void a_paused_leader_reads_as_a_standby_until_confirmed_and_a_newer_term_begun_meanwhile_deposes_it()
            throws Exception {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties keys = new Properties();
            keys.setProperty("sync.ha.cluster-service", "file");
            keys.setProperty("sync.ha.instance-id", "sync-a");
            keys.setProperty("sync.state-dir", stateDir.toString());
            context.getPropertiesComponent().setInitialProperties(keys);
            context.start();
            HighAvailability ha = StoreClients.shared(context).settings().ha();
            // joins the pair's election, as the pair's master consumer does
            Leadership.ensureClusterService(context, ha).getView(HighAvailability.namespace("orders"));
            CheckpointStore checkpoints = new CheckpointStore(stateDir, "orders", null, Json.newMapper(), "sync-a");
            AtomicLong clock = new AtomicLong();
            ElectedRole role = new ElectedRole(context, "orders", ha, checkpoints, clock::get);
            role.watch(watcher, TimeUnit.HOURS.toMillis(1));
            await("the lock is taken").atMost(Duration.ofSeconds(10)).until(role::leads);
            role.announce();
            assertThat(role.term()).isEqualTo(1);

            clock.addAndGet(PAUSE);
            assertThat(role.leads()).as("resumed, before anything confirmed it").isFalse();
            role.tick();
            assertThat(role.leads()).as("the election and the checkpoint store name it: it leads again").isTrue();

            clock.addAndGet(PAUSE);
            role.confirm();
            assertThat(role.leads()).as("a cycle's page boundary confirms it itself").isTrue();

            new CheckpointStore(stateDir, "orders", null, Json.newMapper(), "sync-b").beginTerm();
            clock.addAndGet(PAUSE);
            assertThat(role.leads()).as("resumed while another instance began term 2").isFalse();
            role.tick();
            assertThat(role.leads()).as("deposed by the newer term, its lock still held").isFalse();
            assertThat(role.term()).as("the term it led in is over").isZero();
            assertThat(role.leadingSince()).isEmpty();
        } finally {
            watcher.shutdownNow();
        }
    }
}

package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * A store that stops answering for a while: cycles fail and are retried; nothing is lost, and the
 * first copy lands as soon as the store answers again (a probe ends the back-off).
 */
class OutageIT {

    /** The outage: longer than the back-off's first steps (0.5, 1, 2, 4, 8, 16 s with a 500 ms period). */
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** The target: the first copy lands at most a period + 5 s after the store answers again. */
    private static final Duration RECOVERY = Duration.ofMillis(500).plusSeconds(5);

    private static void outage(String store, TestStores stores, Runnable changeDuringOutage,
            java.util.function.BooleanSupplier converged) {
        try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
            daemon.awaitNextFullCycle();
            long frozen = System.nanoTime();
            stores.sandbox().freeze(store);
            long thawed;
            try {
                changeDuringOutage.run();
                await(store + " outage noticed").atMost(Duration.ofSeconds(90))
                        .until(() -> daemon.lastCycle() != null && daemon.lastCycle().failed());
                // the outage lasts 30 s (the scenario's length, not a wait for an outcome): meanwhile the
                // back-off grows past 10 s
                Thread.sleep(Math.max(0, (OUTAGE.toNanos() - (System.nanoTime() - frozen)) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                stores.sandbox().thaw(store);
                thawed = System.nanoTime();
            }
            await("the change copied within a period + 5 s of " + store + " answering again").atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(converged::getAsBoolean);
            System.out.printf("[outage] %s down %d s: the change landed %d ms after it answered again%n", store,
                    OUTAGE.toSeconds(), (System.nanoTime() - thawed) / 1_000_000);
            assertThat(daemon.context().isStarted()).as("daemon still running").isTrue();
        }
        stores.assertBothStoresHoldTheSameRecords();
    }

    @Test
    void elasticsearch_down_and_back() {
        try (TestStores stores = TestStores.fresh("es_down")) {
            stores.createTable("name text");
            UUID id = UUID.randomUUID();
            outage("elasticsearch", stores,
                    () -> stores.insertInto("name").row(id, Instant.now().truncatedTo(ChronoUnit.MILLIS), "during"),
                    () -> stores.document(id).isPresent());
        }
    }

    @Test
    void cassandra_down_and_back() {
        try (TestStores stores = TestStores.fresh("c_down")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            outage("cassandra", stores,
                    () -> stores.index(id, Map.of("last_modified", Timestamps.format(Instant.now()), "name", "during")),
                    () -> stores.cassandraRow(id).isPresent());
        }
    }

    @Test
    void a_daemon_started_while_cassandra_is_down_starts_and_syncs_once_cassandra_is_back() {
        try (TestStores stores = TestStores.fresh("c_down_at_start")) {
            stores.createTable("name text");
            stores.createIndex();
            UUID id = UUID.randomUUID();
            stores.index(id, Map.of("last_modified", Timestamps.format(Instant.now()), "name", "before start"));
            stores.sandbox().freeze("cassandra");
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                try {
                    await("a cycle that fails for want of Cassandra").atMost(Duration.ofSeconds(90))
                            .until(() -> daemon.lastCycle() != null && daemon.lastCycle().failed());
                    assertThat(daemon.context().isStarted()).as("started without Cassandra").isTrue();
                    assertThat(daemon.lastCycle().cycle()).as("the failed cycle is counted").isPositive();
                    assertThat(daemon.lastCycle().millis()).as("its duration").isLessThan(120_000);
                } finally {
                    stores.sandbox().thaw("cassandra");
                }
                await("synced once Cassandra answers").ignoreExceptions().atMost(Duration.ofSeconds(150))
                        .until(() -> stores.cassandraRow(id).isPresent());
            }
        }
    }
}

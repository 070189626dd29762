package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.Http;
import org.cassandraessync.support.RunningDaemon;
import org.cassandraessync.support.Scrape;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/** What an orchestrator and Prometheus see of a running daemon: health and metrics, per pair. */
class ObservabilityIT {

    private static final String P = "cassandra_es_sync_";

    @Test
    void readiness_is_503_while_a_store_is_stopped_and_200_once_it_is_back_while_liveness_stays_200() {
        try (TestStores stores = TestStores.fresh("health")) {
            stores.createTable("name text");
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                readiness_follows_the_stores(stores, daemon);
            }
        }
    }

    private static void readiness_follows_the_stores(TestStores stores, RunningDaemon daemon) {
        {
            awaitReadiness(daemon, "ready", 200, Duration.ofSeconds(60));
            assertThat(Http.get(daemon.management("/observe/health")).body())
                    .contains("cassandra-es-sync-default").contains("cassandra-es-sync-scheduler");
            assertThat(Http.get(daemon.management("/observe/health/live")).body())
                    .as("the scheduler is a liveness check").contains("cassandra-es-sync-scheduler");
            for (String store : List.of("elasticsearch", "cassandra")) {
                stores.sandbox().freeze(store);
                try {
                    Http.Answer down = awaitReadiness(daemon, store + " stopped: not ready", 503, Duration.ofSeconds(60));
                    assertThat(down.body()).as("says why").containsIgnoringCase(store + " at")
                            .contains("pair 'default'");
                    assertThat(Http.get(daemon.management("/observe/health/live")).status())
                            .as("a store being down is not a reason to restart the daemon").isEqualTo(200);
                } finally {
                    stores.sandbox().thaw(store);
                }
                awaitReadiness(daemon, store + " back: ready again", 200, Duration.ofSeconds(90));
            }
        }
    }

    /** Polls {@code /observe/health/ready} until it answers {@code status}; the last answer otherwise. */
    private static Http.Answer awaitReadiness(RunningDaemon daemon, String alias, int status, Duration atMost) {
        java.util.concurrent.atomic.AtomicReference<Http.Answer> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            return await(alias).atMost(atMost).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        last.set(Http.get(daemon.management("/observe/health/ready")));
                        return last.get();
                    }, a -> a.status() == status);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(alias + ": the last answer was " + last.get(), e);
        }
    }

    @Test
    void metrics_count_the_records_copied_per_direction_with_their_lag_and_the_checkpoint_age() {
        try (TestStores stores = TestStores.fresh("metrics")) {
            stores.createTable("name text");
            stores.createIndex();
            Instant changed = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
            List<UUID> inCassandra = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                UUID id = UUID.randomUUID();
                inCassandra.add(id);
                stores.insertInto("name").row(id, changed, "c" + i);
            }
            List<UUID> inElasticsearch = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                UUID id = UUID.randomUUID();
                inElasticsearch.add(id);
                stores.index(id, Map.of("last_modified", Timestamps.format(changed), "name", "e" + i));
            }
            stores.refresh();
            Instant started = Instant.now();
            try (RunningDaemon daemon = RunningDaemon.start(stores.daemonProperties())) {
                await("both directions copied").ignoreExceptions().atMost(Duration.ofSeconds(60))
                        .until(() -> inCassandra.stream().allMatch(id -> stores.document(id).isPresent())
                                && inElasticsearch.stream().allMatch(id -> stores.cassandraRow(id).isPresent()));
                daemon.awaitNextFullCycle();
                long maxLagSeconds = Duration.between(changed, Instant.now()).toSeconds() + 1;
                Scrape m = new Scrape(Http.get(daemon.management("/observe/metrics")).body());
                String c2e = "cassandra_to_elasticsearch";
                String e2c = "elasticsearch_to_cassandra";

                assertThat(m.value(P + "records_written_total", "pair", "default", "direction", c2e)).hasValue(25);
                assertThat(m.value(P + "records_written_total", "pair", "default", "direction", e2c)).hasValue(15);
                assertThat(m.value(P + "lag_seconds_count", "pair", "default", "direction", c2e)).hasValue(25);
                assertThat(m.value(P + "lag_seconds_count", "pair", "default", "direction", e2c)).hasValue(15);
                for (String direction : List.of(c2e, e2c)) {
                    double count = m.value(P + "lag_seconds_count", "direction", direction).orElseThrow();
                    double mean = m.value(P + "lag_seconds_sum", "direction", direction).orElseThrow() / count;
                    assertThat(mean).as("mean lag %s", direction).isBetween(2.0, (double) maxLagSeconds);
                    assertThat(m.value(P + "lag_seconds_bucket", "direction", direction, "le", "1.0"))
                            .as("no record arrived within 1 s of a change made 2 s before the start").hasValue(0);
                    assertThat(m.value(P + "lag_seconds_bucket", "direction", direction, "le", "+Inf")).hasValue(count);
                }
                assertThat(m.value(P + "records_read_total", "pair", "default", "side", "cassandra").orElseThrow())
                        .isGreaterThanOrEqualTo(25);
                assertThat(m.value(P + "records_rejected_total", "pair", "default")).hasValue(0);
                assertThat(m.value(P + "cycles_failed_total", "pair", "default")).hasValue(0);
                assertThat(m.value(P + "cycle_duration_seconds_count", "pair", "default", "outcome", "success")
                        .orElseThrow()).isGreaterThanOrEqualTo(2);
                long runningFor = Duration.between(started, Instant.now()).toSeconds() + 1;
                for (String side : List.of("cassandra", "elasticsearch")) {
                    assertThat(m.value(P + "checkpoint_age_seconds", "pair", "default", "side", side).orElseThrow())
                            .as("checkpoint age %s", side).isBetween(0.0, (double) runningFor);
                }
                assertThat(m.value(P + "last_success_age_seconds", "pair", "default").orElseThrow())
                        .isBetween(0.0, (double) runningFor);
                assertThat(m.text()).as("Camel's own route metrics stay available").contains("camel_exchanges_total");
            }
        }
    }
}

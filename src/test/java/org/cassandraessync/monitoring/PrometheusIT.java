package org.cassandraessync.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.core.ConditionTimeoutException;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.Http;
import org.cassandraessync.support.PackagedJar;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alerting rules and dashboard against a real Prometheus scraping the packaged daemon:
 * Elasticsearch frozen, the not-ready alert fires; thawed, it resolves. Every query of the
 * dashboard parses and returns series.
 */
class PrometheusIT {

    private static final Path DASHBOARD = Path.of("monitoring", "grafana", "cassandra-es-sync.json");

    @TempDir
    Path workDir;

    @Test
    void the_not_ready_alert_fires_while_elasticsearch_is_frozen_and_every_dashboard_query_returns_series()
            throws Exception {
        try (TestStores stores = TestStores.fresh("prometheus")) {
            stores.createTable("name text");
            stores.createIndex();
            PackagedJar jar = PackagedJar.in(workDir).properties(stores.daemonProperties()).property("sync.period", "1s");
            Process daemon = jar.start();
            try {
                // records both ways, so that the counters and the lag histogram have values
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                UUID fromCassandra = UUID.randomUUID();
                UUID fromElasticsearch = UUID.randomUUID();
                stores.insertInto("name").row(fromCassandra, now, "kettle");
                stores.index(fromElasticsearch, Map.of("last_modified", Timestamps.format(now), "name", "teapot"));
                await("both records copied").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> stores.document(fromCassandra).isPresent()
                                && stores.cassandraRow(fromElasticsearch).isPresent());

                try (Prometheus prometheus = Prometheus.start(workDir.resolve("prometheus"),
                        "127.0.0.1:" + jar.managementPort(), "/observe/metrics", rulesWithShortDelays())) {
                    try {
                        await("Prometheus scrapes the daemon: the pair is ready").atMost(Duration.ofSeconds(60))
                                .ignoreExceptions().until(() -> value(prometheus.query(
                                        "cassandra_es_sync_ready{pair=\"default\"}")) == 1.0);
                    } catch (ConditionTimeoutException e) {
                        throw new AssertionError(e.getMessage() + "\n" + diagnostics(prometheus, jar), e);
                    }

                    // a rate needs two scrapes in its window: poll, then name the panels still empty
                    List<Query> queries = dashboardQueries();
                    await("every dashboard query returns series").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                                List<String> empty = new ArrayList<>();
                                for (Query q : queries) {
                                    if (prometheus.query(q.expr()).isEmpty()) {
                                        empty.add(q.title() + ": " + q.expr());
                                    }
                                }
                                assertThat(empty).as("dashboard panels whose query returns no series").isEmpty();
                            });

                    stores.sandbox().freeze("elasticsearch");
                    Instant frozen = Instant.now();
                    try {
                        // readiness notices within 2 s (the gauge shows the check's last answer), the rule's for: 2 s
                        await("the not-ready alert fires").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                                .until(() -> notReady(prometheus.alerts()).equals("firing"));
                        System.out.printf("not-ready alert firing %.1f s after Elasticsearch was frozen%n",
                                Duration.between(frozen, Instant.now()).toMillis() / 1000.0);
                    } finally {
                        stores.sandbox().thaw("elasticsearch");
                    }
                    Instant thawed = Instant.now();
                    await("the alert resolves").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> notReady(prometheus.alerts()).isEmpty());
                    System.out.printf("not-ready alert resolved %.1f s after Elasticsearch was thawed%n",
                            Duration.between(thawed, Instant.now()).toMillis() / 1000.0);
                }
            } finally {
                daemon.destroy();
                if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            }
        }
    }

    /** What the daemon and Prometheus said, for a failure's message. */
    private static String diagnostics(Prometheus prometheus, PackagedJar jar) {
        StringBuilder d = new StringBuilder();
        d.append("daemon readiness: ").append(answer(() -> Http.get(jar.management("/observe/health/ready")).body()));
        d.append("\ndaemon ready gauge: ").append(answer(() -> Http.get(jar.management("/observe/metrics")).body()
                .lines().filter(l -> l.startsWith("cassandra_es_sync_ready")).toList()));
        d.append("\nPrometheus up: ").append(answer(() -> prometheus.query("up")));
        d.append("\nPrometheus ready: ").append(answer(() -> prometheus.query("cassandra_es_sync_ready")));
        String log = prometheus.log();
        d.append("\nPrometheus log (end):\n").append(log.substring(Math.max(0, log.length() - 3000)));
        return d.toString();
    }

    private static String answer(java.util.concurrent.Callable<Object> question) {
        try {
            return String.valueOf(question.call());
        } catch (Exception | AssertionError e) {
            return "(" + e + ")";
        }
    }

    /** The shipped rules with every {@code for:} shortened to 2 s, so that a test sees them fire within seconds. */
    private Path rulesWithShortDelays() throws Exception {
        Path copy = workDir.resolve("rules.yml");
        String rules = Files.readString(AlertRulesTest.RULES);
        assertThat(rules).contains("alert: CassandraEsSyncPairNotReady");
        Files.writeString(copy, rules.replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 2s"));
        return copy;
    }

    /** The state of the not-ready alert of pair 'default' ("pending", "firing"), empty when there is none. */
    private static String notReady(JsonNode alerts) {
        for (JsonNode alert : alerts) {
            if (alert.path("labels").path("alertname").asText().equals("CassandraEsSyncPairNotReady")
                    && alert.path("labels").path("pair").asText().equals("default")) {
                return alert.path("state").asText();
            }
        }
        return "";
    }

    private static double value(JsonNode result) {
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    record Query(String title, String expr) {
    }

    /** Every panel's queries, for the pair 'default', with Grafana's interval variables as one minute. */
    static List<Query> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.get("title").asText(), target.get("expr").asText()
                        .replace("$pair", "default").replace("$__rate_interval", "1m").replace("$__interval", "1m")));
            }
        }
        assertThat(queries).as("the dashboard's queries").hasSizeGreaterThan(10);
        return queries;
    }
}

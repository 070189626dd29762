package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.bench.DaemonProcess.Cycle;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.Http;
import org.cassandraessync.support.CassandraInsert;
import org.cassandraessync.support.TestStores;

/**
 * The failover scenario both cluster services go through: two pairs (orders, invoices) with
 * records on both sides, three daemon processes, writers on both stores of both pairs, a burst of
 * new orders, and the orders leader killed with SIGKILL while its cycle reads them.
 */
final class FailoverScenario {

    /** Records per side and pair before the daemons start. */
    private static final int PRELOAD = 1500;
    /** New orders written at once in Cassandra, so that the leader is killed inside a long cycle. */
    private static final int BURST = 6000;
    private static final Pattern LEADS = Pattern.compile("pair '(\\w+)': instance (\\S+) leads it and goes on from (.*)");
    /** Camel's master consumer has won the pair's election and started its trigger. */
    private static final Pattern LOCK_TAKEN = Pattern.compile("Leadership taken\\. Attempt #\\d+ success\\. Consumer"
            + " started: quartz://cassandra-es-sync/orders\\b");
    private static final Pattern LEADS_ORDERS = Pattern.compile("pair 'orders': instance \\S+ leads it and goes on");
    private static final Pattern FIRST_ORDERS_CYCLE = Pattern.compile(" orders cycle \\d+: ");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ");

    record Result(Map<String, String> leadersBefore, String newLeader, Takeover takeover, Cycle firstCycleOfNewLeader) {
    }

    /**
     * The takeover's figures, each from the kill (docs/several-instances.md defines them): the new
     * leader's election won ("Leadership taken" in its log), its leader gauge first read 1 (scraped
     * every 50 ms), its first cycle started ("leads it and goes on from") and done (the cycle line).
     */
    record Takeover(Duration lockTaken, Duration gaugeOne, Duration firstCycleStarted, Duration firstCycleDone) {
    }

    private final Map<String, TestStores> pairs = new LinkedHashMap<>();
    private final String label;
    /** The newest version the writers gave each id, per pair: what both stores must hold in the end. */
    private final WrittenVersions versions;

    FailoverScenario(TestStores orders, TestStores invoices, String label) {
        pairs.put("orders", orders);
        pairs.put("invoices", invoices);
        this.label = label;
        this.versions = new WrittenVersions(pairs);
    }

    Result run(Map<String, Map<String, String>> instances) throws Exception {
        for (var e : pairs.entrySet()) {
            e.getValue().createTable("name text");
            e.getValue().createIndex();
        }
        versions.preload(PRELOAD);
        Path runs = Path.of("target", "it-ha", label + "-" + pairs.get("orders").keyspace()).toAbsolutePath();
        Map<String, DaemonProcess> processes = new LinkedHashMap<>();
        try {
            for (var instance : instances.entrySet()) {
                processes.put(instance.getKey(), DaemonProcess.start(Path.of(System.getProperty("app.jar")), "384m",
                        List.of(), daemonProperties(instance.getKey(), instance.getValue()),
                        runs.resolve(instance.getKey())));
            }
            // every pair reconciled once and running (the first leaders joined their elections)
            await("both pairs run cycles").atMost(Duration.ofSeconds(120)).until(() -> pairs.keySet().stream()
                    .allMatch(pair -> processes.values().stream().flatMap(p -> p.cycles().stream())
                            .filter(c -> c.pair().equals(pair)).count() >= 3));
            versions.startWriting();
            versions.awaitMore(100);
            Map<String, String> leaders = new HashMap<>();
            Map<String, Set<String>> runners = FailoverIT.runners(processes, List.copyOf(pairs.keySet()));
            runners.forEach((pair, who) -> {
                assertThat(who).as("instances that ran cycles of " + pair).hasSize(1);
                leaders.put(pair, who.iterator().next());
            });

            // health and metrics say which instance leads which pair; a standby is ready
            for (var p : processes.entrySet()) {
                for (String pair : pairs.keySet()) {
                    boolean leads = p.getKey().equals(leaders.get(pair));
                    JsonNode check = check(p.getValue(), pair);
                    assertThat(check.path("status").asText()).as(p.getKey() + " " + pair).isEqualTo("UP");
                    assertThat(check.path("data").path("role").asText()).as(p.getKey() + " role for " + pair)
                            .isEqualTo(leads ? "leader" : "standby");
                    assertThat(check.path("data").path("instance").asText()).isEqualTo(p.getKey());
                    assertThat(leaderGauge(p.getValue(), pair)).as(p.getKey() + " leader gauge for " + pair)
                            .isEqualTo(leads ? 1.0 : 0.0);
                    // only the leader wrote: the first reconciliation copied the preloaded records
                    double written = writtenTotal(p.getValue(), pair);
                    if (leads) {
                        assertThat(written).as(p.getKey() + " records written for " + pair)
                                .isGreaterThanOrEqualTo(2.0 * PRELOAD);
                    } else {
                        assertThat(written).as(p.getKey() + " records written for " + pair).isZero();
                    }
                }
                assertThat(Http.get(p.getValue().management("/observe/health/ready")).status())
                        .as(p.getKey() + " ready").isEqualTo(200);
                assertThat(Http.get(p.getValue().management("/observe/health/live")).status())
                        .as(p.getKey() + " live").isEqualTo(200);
            }

            String oldLeader = leaders.get("orders");
            DaemonProcess leader = processes.get(oldLeader);
            CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> versions.burst("orders", BURST));
            await("the orders leader reads in a cycle").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> reading(leader, "orders"));
            int cyclesOfDeadLeader = (int) leader.cycles().stream().filter(c -> c.pair().equals("orders")).count();
            leader.kill();
            long killed = System.nanoTime();
            LocalTime killedAt = LocalTime.now();
            burst.join();

            // the survivors' leader gauges, scraped until the new leader's first cycle has started
            Map<String, Duration> gaugeOne = new HashMap<>();
            String[] newLeader = new String[1];
            await("another instance leads orders").atMost(FailoverIT.takeoverBound())
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        for (var p : processes.entrySet()) {
                            if (!p.getKey().equals(oldLeader) && !gaugeOne.containsKey(p.getKey())
                                    && leaderGauge(p.getValue(), "orders") == 1) {
                                gaugeOne.put(p.getKey(), Duration.ofNanos(System.nanoTime() - killed));
                            }
                        }
                        for (var p : processes.entrySet()) {
                            if (!p.getKey().equals(oldLeader) && leadsInLog(p.getValue(), "orders").isPresent()) {
                                newLeader[0] = p.getKey();
                                return true;
                            }
                        }
                        return false;
                    });
            String from = leadsInLog(processes.get(newLeader[0]), "orders").orElseThrow();
            assertThat(from).as("the new leader goes on from the last checkpoint").startsWith("the checkpoints "
                    + oldLeader + " committed at");
            Cycle first = processes.get(newLeader[0]).awaitCycle("the new leader's first orders cycle",
                    c -> c.pair().equals("orders"), Duration.ofSeconds(60));
            Takeover takeover = new Takeover(
                    logged(processes.get(newLeader[0]), LOCK_TAKEN, killedAt),
                    gaugeOne.get(newLeader[0]),
                    logged(processes.get(newLeader[0]), LEADS_ORDERS, killedAt),
                    logged(processes.get(newLeader[0]), FIRST_ORDERS_CYCLE, killedAt));
            System.out.printf("[%s] orders: %s killed mid-cycle after %d cycles; %s took over: lock taken +%d ms,"
                    + " leader gauge 1 +%s ms, first cycle started +%d ms, done +%d ms; it read %d + %d (Cassandra"
                    + " holds %d)%n", label, oldLeader, cyclesOfDeadLeader, newLeader[0],
                    takeover.lockTaken().toMillis(), takeover.gaugeOne() == null ? "?" : takeover.gaugeOne().toMillis(),
                    takeover.firstCycleStarted().toMillis(), takeover.firstCycleDone().toMillis(), first.readCassandra(),
                    first.readElasticsearch(), versions.size("orders"));
            assertThat(takeover.gaugeOne()).as("the new leader's gauge read 1 before its first cycle started").isNotNull();
            // the gauge follows the election: 1 within a second of the lock (with file, Camel's master consumer
            // holds the election's lock while it retries starting the trigger; 4 s with camel-master's defaults)
            assertThat(takeover.gaugeOne()).as("leader gauge 1 after the lock was taken (%s)", takeover.lockTaken())
                    .isLessThanOrEqualTo(takeover.lockTaken().plusSeconds(1));
            assertThat(takeover.lockTaken()).isLessThanOrEqualTo(takeover.firstCycleStarted());
            assertThat(takeover.firstCycleStarted()).isLessThanOrEqualTo(takeover.firstCycleDone());
            versions.awaitMore(100);
            versions.stopWriting();

            versions.awaitNewestEverywhere(Duration.ofSeconds(120));
            Map<String, DaemonProcess> survivors = new LinkedHashMap<>(processes);
            survivors.remove(oldLeader);
            Map<String, Set<String>> after = FailoverIT.runners(survivors, List.copyOf(pairs.keySet()));
            assertThat(after.get("orders")).as("survivors that ran orders cycles").containsExactly(newLeader[0]);
            assertThat(after.get("invoices")).as("survivors that ran invoices cycles").hasSize(1);
            assertThat(first.readCassandra()).as("the new leader read the recent changes, not the whole table")
                    .isLessThan(versions.size("orders") - PRELOAD);
            return new Result(leaders, newLeader[0], takeover, first);
        } finally {
            versions.stopWriting();
            processes.values().forEach(DaemonProcess::close);
        }
    }

    private Map<String, String> daemonProperties(String instance, Map<String, String> ha) {
        Map<String, String> p = new LinkedHashMap<>(pairs.get("orders").sandbox().connectionProperties());
        pairs.forEach((name, stores) -> p.putAll(stores.pairDeclaration(name)));
        p.put("sync.period", "1s");
        p.put("sync.ha.instance-id", instance);
        p.putAll(ha);
        return p;
    }

    /** True while the pair's cycle on that daemon reads a store (its readiness check says which). */
    private static boolean reading(DaemonProcess daemon, String pair) {
        try {
            return check(daemon, pair).path("data").has("reading");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The pair's readiness check as the daemon's health endpoint shows it, with its details. */
    private static JsonNode check(DaemonProcess daemon, String pair) {
        try {
            JsonNode health = new ObjectMapper().readTree(Http.get(daemon.management("/observe/health?data=true")).body());
            for (JsonNode check : health.path("checks")) {
                if (check.path("name").asText().equals("cassandra-es-sync-" + pair)) {
                    return check;
                }
            }
            throw new AssertionError("no check for pair " + pair + " in " + health);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the daemon wrote for the pair, both directions (cassandra_es_sync_records_written_total). */
    private static double writtenTotal(DaemonProcess daemon, String pair) {
        Pattern line = Pattern.compile("(?m)^cassandra_es_sync_records_written_total\\{[^}]*pair=\"" + pair
                + "\"[^}]*\\} (\\S+)$");
        Matcher m = line.matcher(Http.get(daemon.management("/observe/metrics")).body());
        double total = 0;
        int found = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            found++;
        }
        assertThat(found).as("both directions of " + pair).isEqualTo(2);
        return total;
    }

    /** The value of cassandra_es_sync_leader{pair=...} on the daemon's metrics endpoint. */
    private static double leaderGauge(DaemonProcess daemon, String pair) {
        Pattern line = Pattern.compile("(?m)^cassandra_es_sync_leader\\{[^}]*pair=\"" + pair + "\"[^}]*\\} (\\S+)$");
        Matcher m = line.matcher(Http.get(daemon.management("/observe/metrics")).body());
        assertThat(m.find()).as("cassandra_es_sync_leader of " + pair).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * How long after {@code since} (this host's clock, as the daemon's log lines are stamped) the
     * daemon logged its first line after {@code since} that {@code event} matches.
     */
    private static Duration logged(DaemonProcess daemon, Pattern event, LocalTime since) {
        try {
            for (String line : Files.readAllLines(daemon.log())) {
                Matcher time = LOG_TIME.matcher(line);
                if (time.find() && event.matcher(line).find()) {
                    Duration after = Duration.between(since, LocalTime.parse(time.group(1)));
                    if (after.isNegative() && after.plusHours(12).isNegative()) {
                        after = after.plusDays(1); // the day turned
                    }
                    if (!after.isNegative()) {
                        return after;
                    }
                }
            }
            throw new AssertionError("no line matching " + event + " in " + daemon.log() + " after " + since);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the daemon's log says the instance went on from when it took the lead of the pair. */
    private static Optional<String> leadsInLog(DaemonProcess daemon, String pair) {
        try {
            for (String line : Files.readAllLines(daemon.log())) {
                Matcher m = LEADS.matcher(line);
                if (m.find() && m.group(1).equals(pair)) {
                    return Optional.of(m.group(3));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

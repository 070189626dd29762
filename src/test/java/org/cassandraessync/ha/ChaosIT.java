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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.curator.test.TestingServer;
import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/**
 * The chaos run: three instances elect each pair's leader with ZooKeeper, two pairs, applications
 * writing to both stores of both pairs on shared ids, and every 20-40 s one fault, drawn at random
 * from a shuffled round of the five kinds (every kind once before any repeats): kill
 * -9 of a leader (restarted 5 s later), SIGSTOP of a leader beyond the session timeout then
 * SIGCONT, Cassandra or Elasticsearch frozen for 20 s, ZooKeeper stopped and started. At the end
 * every id is at its newest version on both stores and no record was dead-lettered. Per pair it
 * reports the longest time without a leader, the longest with two, the commits refused by
 * fencing, and the lag p99 outside the faults. {@code -Dchaos.minutes} (2 in the suite; {@code mvn
 * -Pchaos -Dchaos.minutes=30}), {@code -Dchaos.seed} to replay a run.
 */
class ChaosIT {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration STORE_FREEZE = Duration.ofSeconds(20);
    /** After a fault ends, lag samples are still counted as the fault's for this long (the recovery). */
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final List<String> PAIRS = List.of("orders", "invoices");

    enum Fault { KILL_LEADER, FREEZE_LEADER, FREEZE_CASSANDRA, FREEZE_ELASTICSEARCH, RESTART_ZOOKEEPER }

    private record Window(Fault fault, String detail, long startNanos, long endNanos) {
    }

    private record Lag(String pair, long writtenNanos, long seenNanos) {
        long millis() {
            return (seenNanos - writtenNanos) / 1_000_000;
        }
    }

    private record Sample(long nanos, String pair, int leaders) {
    }

    @Test
    void three_instances_two_pairs_random_faults_and_every_newest_version_on_both_stores_in_the_end() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("chaos.minutes", 2));
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("[chaos] %d minutes, seed %d (-Dchaos.seed=%d replays the same faults)%n", length.toMinutes(),
                seed, seed);
        try (TestingServer zookeeper = new TestingServer(true);
                TestStores orders = TestStores.fresh("chaos_orders");
                TestStores invoices = TestStores.fresh("chaos_invoices")) {
            Map<String, TestStores> pairs = new LinkedHashMap<>();
            pairs.put("orders", orders);
            pairs.put("invoices", invoices);
            WrittenVersions versions = WrittenVersions.onNewTables(pairs, 500);
            try (Instances instances = new Instances(pairs, "chaos")) {
                for (String name : List.of("instance-1", "instance-2", "instance-3")) {
                    instances.startWithZooKeeper(name, zookeeper.getConnectString(), SESSION_TIMEOUT);
                }
                // one leader per pair, done with its first reconciliation (the clock of the run starts then)
                await("every pair has one leader that finished a cycle").atMost(Duration.ofSeconds(120))
                        .until(() -> PAIRS.stream().allMatch(p -> instances.leaders(p).size() == 1
                                && !Instances.cyclesSince(instances.get(instances.leaders(p).iterator().next()), p,
                                        LocalTime.MIN).isEmpty()));
                versions.startWriting();

                List<Sample> samples = new CopyOnWriteArrayList<>();
                List<Lag> lags = new CopyOnWriteArrayList<>();
                AtomicBoolean running = new AtomicBoolean(true);
                Thread sampler = daemonThread("chaos-leaders", () -> {
                    while (running.get()) {
                        for (String pair : PAIRS) {
                            samples.add(new Sample(System.nanoTime(), pair, instances.leaders(pair).size()));
                        }
                        pace(Duration.ofMillis(250));
                    }
                });
                Thread lagProbe = daemonThread("chaos-lag", () -> {
                    int n = 0;
                    while (running.get()) {
                        for (String pair : PAIRS) {
                            lags.add(lag(pair, pairs.get(pair), versions, n++ % 2 == 0));
                        }
                        pace(Duration.ofMillis(250));
                    }
                });

                List<Window> faults = new ArrayList<>();
                Deque<Fault> round = new ArrayDeque<>();
                long end = System.nanoTime() + length.toNanos();
                while (System.nanoTime() < end) {
                    // the schedule of the faults (20-40 s apart), not a wait for an outcome
                    pace(Duration.ofSeconds(20 + random.nextInt(21)));
                    if (System.nanoTime() >= end) {
                        break;
                    }
                    if (round.isEmpty()) {
                        // a short run (the suite's) still meets as many kinds of fault as it has faults
                        List<Fault> kinds = new ArrayList<>(List.of(Fault.values()));
                        Collections.shuffle(kinds, random);
                        round.addAll(kinds);
                    }
                    Fault fault = round.poll();
                    Window window = inject(fault, random, instances, zookeeper, orders);
                    faults.add(window);
                    System.out.printf("[chaos] %s %s: %d ms%n", fault, window.detail(),
                            (window.endNanos() - window.startNanos()) / 1_000_000);
                }
                versions.stopWriting();
                running.set(false);
                sampler.join(10_000);
                lagProbe.join(150_000);

                versions.awaitNewestEverywhere(Duration.ofSeconds(180));
                for (String pair : PAIRS) {
                    report(pair, samples, lags, faults, instances);
                }
                assertThat(deadLetters(orders, instances)).as("dead-lettered records").isEmpty();
                assertThat(faults).as("faults injected").isNotEmpty();
            }
        }
    }

    private static Window inject(Fault fault, Random random, Instances instances, TestingServer zookeeper,
            TestStores stores) throws Exception {
        long start = System.nanoTime();
        String pair = PAIRS.get(random.nextInt(PAIRS.size()));
        String detail;
        switch (fault) {
            case KILL_LEADER -> {
                String leader = leaderOf(pair, instances);
                instances.get(leader).kill();
                pace(Duration.ofSeconds(5));
                instances.restart(leader);
                detail = "of " + pair + " (" + leader + "), restarted after 5 s";
            }
            case FREEZE_LEADER -> {
                String leader = leaderOf(pair, instances);
                DaemonProcess frozen = instances.get(leader);
                frozen.freeze();
                pace(SESSION_TIMEOUT.plusSeconds(4));
                frozen.thaw();
                detail = "of " + pair + " (" + leader + ") for " + SESSION_TIMEOUT.plusSeconds(4).toSeconds() + " s";
            }
            case FREEZE_CASSANDRA, FREEZE_ELASTICSEARCH -> {
                String store = fault == Fault.FREEZE_CASSANDRA ? "cassandra" : "elasticsearch";
                stores.sandbox().freeze(store);
                try {
                    pace(STORE_FREEZE);
                } finally {
                    stores.sandbox().thaw(store);
                }
                detail = "for " + STORE_FREEZE.toSeconds() + " s";
            }
            case RESTART_ZOOKEEPER -> {
                zookeeper.stop();
                pace(Duration.ofSeconds(5));
                zookeeper.restart();
                detail = "down for 5 s";
            }
            default -> throw new IllegalStateException(fault.name());
        }
        return new Window(fault, detail, start, System.nanoTime());
    }

    /** The pair's leader now (waiting for one when a fault left the pair without one). */
    private static String leaderOf(String pair, Instances instances) {
        return await("a leader of " + pair).atMost(Duration.ofSeconds(60)).until(() -> instances.leaders(pair),
                leaders -> leaders.size() == 1).iterator().next();
    }

    /**
     * One lag sample: a new version of an id written to one store, and the time until the other
     * store holds it (or a newer one), up to 120 s.
     */
    private static Lag lag(String pair, TestStores stores, WrittenVersions versions, boolean toCassandra) {
        UUID id = versions.anyId(pair);
        Instant at = versions.writeOne(pair, id, toCassandra).lastModified();
        // from the acknowledged write (a frozen store delays the write itself)
        long written = System.nanoTime();
        long deadline = written + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Instant other = toCassandra
                        ? stores.document(id).map(d -> Timestamps.parse(String.valueOf(d.get("last_modified"))))
                                .orElse(Instant.MIN)
                        : stores.cassandraRow(id).map(r -> r.getInstant("last_modified")).orElse(Instant.MIN);
                if (!other.isBefore(at)) {
                    break;
                }
            } catch (RuntimeException storeFrozen) {
                // asked again below
            }
            pace(Duration.ofMillis(100));
        }
        return new Lag(pair, written, System.nanoTime());
    }

    private static void report(String pair, List<Sample> samples, List<Lag> lags, List<Window> faults,
            Instances instances) {
        long noLeader = longest(samples, pair, s -> s.leaders() == 0);
        long twoLeaders = longest(samples, pair, s -> s.leaders() >= 2);
        Pattern refused = Pattern.compile("leadership of pair '" + pair + "' lost by instance .*(refused by|while this one)");
        long fenced = instances.all().stream()
                .mapToLong(p -> Instances.logged(p, refused, LocalTime.MIN).size()).sum();
        List<Long> calm = lags.stream().filter(l -> l.pair().equals(pair))
                .filter(l -> faults.stream().noneMatch(f -> l.writtenNanos() < f.endNanos() + RECOVERY.toNanos()
                        && l.seenNanos() > f.startNanos()))
                .map(Lag::millis).sorted().toList();
        List<Long> all = lags.stream().filter(l -> l.pair().equals(pair)).map(Lag::millis).sorted().toList();
        lags.stream().filter(l -> l.pair().equals(pair) && l.millis() > 5000).forEach(l -> System.out.printf(
                "[chaos] %s: a change took %d ms; %s%n", pair, l.millis(), lastFaultBefore(l, faults)));
        // stopped by fencing: a commit refused, or a newer term found after a pause
        System.out.printf("[chaos] %s: longest without a leader %d ms, longest with two %d ms, stopped by"
                + " fencing %d, lag p99 outside the faults %s ms (%d samples; max %s ms over all %d)%n", pair,
                noLeader / 1_000_000, twoLeaders / 1_000_000, fenced, percentile(calm, 0.99), calm.size(),
                all.isEmpty() ? "-" : all.get(all.size() - 1), all.size());
    }

    private static String lastFaultBefore(Lag lag, List<Window> faults) {
        return faults.stream().filter(f -> f.startNanos() < lag.seenNanos())
                .reduce((a, b) -> b).map(f -> f.endNanos() > lag.writtenNanos()
                        ? "during " + f.fault() + " " + f.detail()
                        : (lag.writtenNanos() - f.endNanos()) / 1_000_000 + " ms after " + f.fault() + " " + f.detail()
                                + " ended")
                .orElse("before any fault");
    }

    /** The longest run of consecutive samples of the pair that {@code test} accepts, in nanoseconds. */
    private static long longest(List<Sample> samples, String pair, java.util.function.Predicate<Sample> test) {
        long longest = 0;
        Long since = null;
        for (Sample s : samples) {
            if (!s.pair().equals(pair)) {
                continue;
            }
            if (test.test(s)) {
                since = since == null ? s.nanos() : since;
                longest = Math.max(longest, s.nanos() - since);
            } else {
                since = null;
            }
        }
        return longest;
    }

    private static String percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return String.valueOf(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    /** The dead-letter files of every instance that hold a line. */
    private static List<Path> deadLetters(TestStores stores, Instances instances) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String name : instances.names()) {
            Path dir = Instances.stateDir(stores, name);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("dead-letters-")).toList()) {
                    if (Files.size(f) > 0) {
                        found.add(f);
                    }
                }
            }
        }
        return found;
    }

    private static Thread daemonThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The scenario's pace (faults 20-40 s apart, a sample every 250 ms), not a wait for an outcome. */
    private static void pace(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package org.cassandraessync.ha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cassandraessync.bench.DaemonProcess;
import org.cassandraessync.support.Http;
import org.cassandraessync.support.TestStores;

/**
 * Daemon processes (the jar) that share pairs through an election: started, frozen, killed, and
 * read from outside as an operator would, through their metrics and their log.
 */
final class Instances implements AutoCloseable {

    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ");

    private final Map<String, TestStores> pairs;
    private final Path runs;
    private final Map<String, DaemonProcess> processes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> properties = new LinkedHashMap<>();
    /** Every process started, restarted ones included (their logs stay). */
    private final List<DaemonProcess> all = new java.util.concurrent.CopyOnWriteArrayList<>();

    Instances(Map<String, TestStores> pairs, String label) {
        this.pairs = pairs;
        this.runs = Path.of("target", "it-ha", label + "-" + pairs.values().iterator().next().keyspace())
                .toAbsolutePath();
    }

    /** Starts an instance with every pair declared, a 1 s period and {@code ha} (the election's settings). */
    DaemonProcess start(String instance, Map<String, String> ha) {
        Map<String, String> p = new LinkedHashMap<>(pairs.values().iterator().next().sandbox().connectionProperties());
        pairs.forEach((name, stores) -> p.putAll(stores.pairDeclaration(name)));
        p.put("sync.period", "1s");
        p.put("sync.ha.instance-id", instance);
        p.putAll(ha);
        properties.put(instance, p);
        return restart(instance);
    }

    /**
     * Starts an instance that elects with ZooKeeper; its checkpoints are in Cassandra, its state
     * folder (dead letters) its own.
     */
    DaemonProcess startWithZooKeeper(String instance, String connectString, Duration sessionTimeout) {
        TestStores first = pairs.values().iterator().next();
        return start(instance, Map.of("sync.ha.cluster-service", "zookeeper",
                "sync.ha.zookeeper.nodes", connectString,
                "sync.ha.zookeeper.session-timeout", sessionTimeout.toMillis() + "ms",
                "sync.state-dir", stateDir(first, instance).toString()));
    }

    /** The state folder of an instance started by {@link #startWithZooKeeper}. */
    static Path stateDir(TestStores stores, String instance) {
        return stores.stateDir().resolveSibling(stores.keyspace() + "-" + instance).toAbsolutePath();
    }

    /** Starts the instance again with the settings it had (after a kill). */
    DaemonProcess restart(String instance) {
        DaemonProcess process = DaemonProcess.start(Path.of(System.getProperty("app.jar")), "256m", List.of(),
                properties.get(instance), runs.resolve(instance + "-" + System.nanoTime()));
        processes.put(instance, process);
        all.add(process);
        return process;
    }

    DaemonProcess get(String instance) {
        return processes.get(instance);
    }

    /** Every process started so far, restarted instances' earlier processes included. */
    List<DaemonProcess> all() {
        return List.copyOf(all);
    }

    Set<String> names() {
        return processes.keySet();
    }

    /**
     * The instances whose leader gauge of the pair reads 1 now; an instance that does not answer
     * (frozen, killed) is not counted.
     */
    Set<String> leaders(String pair) {
        Set<String> leaders = new TreeSet<>();
        processes.forEach((name, process) -> {
            if (process.isAlive() && leaderGauge(process, pair).orElse(0.0) == 1.0) {
                leaders.add(name);
            }
        });
        return leaders;
    }

    /** The value of cassandra_es_sync_leader{pair=...} on the instance's metrics endpoint, if it answers in 1 s. */
    static Optional<Double> leaderGauge(DaemonProcess daemon, String pair) {
        try {
            Pattern line = Pattern.compile("(?m)^cassandra_es_sync_leader\\{[^}]*pair=\"" + pair + "\"[^}]*\\} (\\S+)$");
            Matcher m = line.matcher(Http.get(daemon.management("/observe/metrics"), Duration.ofSeconds(1)).body());
            return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The instance's log lines that match {@code pattern}, stamped at or after {@code since} (this host's clock). */
    static List<String> logged(DaemonProcess daemon, Pattern pattern, LocalTime since) {
        try {
            return Files.readAllLines(daemon.log()).stream().filter(line -> pattern.matcher(line).find())
                    .filter(line -> {
                        Matcher time = LOG_TIME.matcher(line);
                        if (!time.find()) {
                            return false;
                        }
                        LocalTime at = LocalTime.parse(time.group(1));
                        // stamped after `since`, or early next morning after a `since` late in the day
                        return !at.isBefore(since) || since.isAfter(LocalTime.NOON) && at.isBefore(since.minusHours(12));
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pair's cycle lines (finished cycles) in the instance's log since {@code since}. */
    static List<String> cyclesSince(DaemonProcess daemon, String pair, LocalTime since) {
        return logged(daemon, Pattern.compile(" " + Pattern.quote(pair) + " cycle \\d+: "), since);
    }

    @Override
    public void close() {
        all.forEach(p -> {
            if (p.isAlive()) {
                p.thaw();
            }
            p.close();
        });
    }
}

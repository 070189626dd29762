package org.cassandraessync.support;

import java.util.Map;

import org.apache.camel.main.Main;
import org.cassandraessync.SyncApplication;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.pair.SyncPair;
import org.cassandraessync.sandbox.FreePorts;

/** The daemon exactly as the jar runs it (same Main, same YAML routes), in the test's JVM. */
public final class RunningDaemon implements AutoCloseable {

    /** Daemons whose stop was handed to another thread ({@link #stoppingInBackground()}). */
    private static final java.util.List<java.util.concurrent.CompletableFuture<Void>> STOPPING =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Main main;
    private final int managementPort;
    private boolean inBackground;

    private RunningDaemon(Main main, int managementPort) {
        this.main = main;
        this.managementPort = managementPort;
    }

    /** Starts the daemon; its management server (health, metrics) on a free port unless one is given. */
    public static RunningDaemon start(Map<String, String> properties) {
        return start(properties, Map.of());
    }

    /** Starts the daemon with {@code beans} bound in its registry first (e.g. in-memory stores). */
    public static RunningDaemon start(Map<String, String> properties, Map<String, Object> beans) {
        Map<String, String> withPort = new java.util.HashMap<>(properties);
        withPort.computeIfAbsent("camel.management.port", k -> String.valueOf(FreePorts.next()));
        Main main = SyncApplication.create(withPort);
        beans.forEach(main::bind);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("daemon did not start", e);
        }
        return new RunningDaemon(main, Integer.parseInt(withPort.get("camel.management.port")));
    }

    /** The management server's URL for {@code path} ({@code /observe/health}, {@code /observe/metrics}). */
    public java.net.URI management(String path) {
        return java.net.URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /**
     * Runs the daemon for exactly one cycle (the period is set far beyond the test) and returns
     * that cycle's summary once it has finished.
     */
    public static CycleSummary runOneCycle(Map<String, String> properties) {
        Map<String, String> once = new java.util.HashMap<>(properties);
        once.put("sync.period", "1h");
        try (RunningDaemon daemon = start(once)) {
            try {
                return org.awaitility.Awaitility.await("first cycle").atMost(java.time.Duration.ofSeconds(60))
                        .until(daemon::lastCycle, c -> c != null);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // what the pair was doing: a cycle still running (and where), or one that never started
                throw new AssertionError("no cycle finished within 60 s; the pair: " + daemon.describe(), e);
            }
        }
    }

    public org.apache.camel.CamelContext context() {
        return main.getCamelContext();
    }

    /** The state of the pair {@code default}, for a test's failure message. */
    public String describe() {
        try {
            SyncPair pair = cycle();
            return "last failure " + pair.lastFailure().orElse("none") + ", content read " + pair.contentRead()
                    + ", Camel context " + main.getCamelContext().getStatus() + ", inflight "
                    + main.getCamelContext().getInflightRepository().size();
        } catch (RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /** The pair {@code default} (the one a daemon without declared pairs syncs). */
    public SyncPair cycle() {
        return pair("default");
    }

    /** The pair of that name, once its route exists. */
    public SyncPair pair(String name) {
        SyncPair pair = main.getCamelContext().getRegistry().lookupByNameAndType(SyncPair.BEAN_PREFIX + name,
                SyncPair.class);
        if (pair == null) {
            throw new IllegalStateException("no pair named " + name);
        }
        return pair;
    }

    /** The summary of the last finished cycle, or null before the first one. */
    public CycleSummary lastCycle() {
        try {
            return cycle().lastCycle();
        } catch (IllegalStateException notYet) {
            return null;
        }
    }

    /**
     * Waits for a cycle that started after the current one finished, and returns its summary: the
     * first cycle that sees both stores as they are now.
     */
    public CycleSummary awaitNextFullCycle() {
        long current = lastCycle() == null ? 0 : lastCycle().cycle();
        org.awaitility.Awaitility.await("a full sync cycle").atMost(java.time.Duration.ofSeconds(60))
                .until(() -> lastCycle() != null && lastCycle().cycle() > current + 1);
        return lastCycle();
    }

    /**
     * {@link #close()} then returns at once and the daemon stops on another thread (Quartz takes
     * about half a second to stop its workers): for a test class that starts many daemons in turn,
     * each under its own {@code camel.main.name}, and calls {@link #awaitBackgroundStops()} at the end.
     */
    public RunningDaemon stoppingInBackground() {
        inBackground = true;
        return this;
    }

    /** Waits until every daemon stopped in the background has stopped. */
    public static void awaitBackgroundStops() {
        STOPPING.forEach(java.util.concurrent.CompletableFuture::join);
        STOPPING.clear();
    }

    @Override
    public void close() {
        if (inBackground) {
            STOPPING.add(java.util.concurrent.CompletableFuture.runAsync(this::stop));
            return;
        }
        stop();
    }

    private void stop() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("daemon did not stop cleanly", e);
        }
    }
}

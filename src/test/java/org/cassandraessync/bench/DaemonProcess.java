package org.cassandraessync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cassandraessync.support.PackagedJar;

/**
 * The daemon as operators run it: the packaged jar in its own JVM ({@code java -Xmx… -jar}),
 * configured by {@code -D} options, with a GC log for its heap. What it did is read from its own
 * log: one summary line per cycle.
 */
public final class DaemonProcess implements AutoCloseable {

    /**
     * One cycle's summary line, e.g. "Cycle 3: cassandra→elasticsearch read 5 written 5 | … | 12 ms".
     * The read counts are the changes seen (metadata); a daemon that reports them also says how many
     * records' content its change readers fetched on each side ({@code contentRead…}) and how many
     * counterpart copies it requested by id ({@code lookedUp…}: in Elasticsearch for Cassandra's
     * changes, in Cassandra for Elasticsearch's). An older daemon does not: those are -1.
     */
    public record Cycle(String pair, long number, long readCassandra, long writtenElasticsearch, long readElasticsearch,
            long writtenCassandra, long unchanged, long conflicts, long rejected, long millis, long contentReadCassandra,
            long contentReadElasticsearch, long lookedUpElasticsearch, long lookedUpCassandra, long seenAtNanos) {

        public boolean idle() {
            return readCassandra + readElasticsearch == 0;
        }

        /** Whether the daemon reported its content reads (and look-ups) on this line. */
        public boolean reportsContentReads() {
            return contentReadCassandra >= 0 && contentReadElasticsearch >= 0;
        }

        public boolean reportsLookUps() {
            return lookedUpElasticsearch >= 0 && lookedUpCassandra >= 0;
        }
    }

    /**
     * "products cycle 12: cassandra→elasticsearch read … | 28325 ms (Cassandra side 9000 ms,
     * Elasticsearch side 19325 ms) | content read 14928 + 15946 | looked up 14928 + 15946" (before
     * pairs: "Cycle 12: …"; the sides' times and the two counter suffixes are missing from older
     * daemons' lines, so each is optional).
     */
    private static final Pattern CYCLE = Pattern.compile("(\\S+) [Cc]ycle (\\d+): cassandra\\S+elasticsearch read (\\d+) written"
            + " (\\d+) \\| elasticsearch\\S+cassandra read (\\d+) written (\\d+) \\| unchanged (\\d+) \\| conflicts (\\d+)"
            + " \\| rejected (\\d+) \\| (\\d+) ms(?: \\([^)]*\\))?(?: \\| content read (\\d+) \\+ (\\d+))?"
            + "(?: \\| looked up (\\d+) \\+ (\\d+))?");
    private static final Pattern FAILED = Pattern.compile("[Cc]ycle \\d+ failed after .*");
    private static final Pattern GC_PAUSE = Pattern.compile("Pause.* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final Process process;
    private final Path log;
    private final Path gcLog;
    private final List<Cycle> cycles = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private long readOffset;
    private final int managementPort;

    private DaemonProcess(Process process, Path log, Path gcLog, int managementPort) {
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
        this.managementPort = managementPort;
    }

    static DaemonProcess start(BenchOptions options, Map<String, String> properties, Path runDir) {
        return start(options, properties, runDir, new String[0]);
    }

    /** The jar with a command ({@code verify}) instead of the daemon. */
    static DaemonProcess start(BenchOptions options, Map<String, String> properties, Path runDir, String... args) {
        return start(options.jar(), options.daemonHeap(), options.daemonOptions(), properties, runDir, args);
    }

    /** The jar in its own JVM with {@code -Xmx heap}, the JVM options and {@code -Dkey=value} for each property. */
    public static DaemonProcess start(Path jar, String heap, List<String> jvmOptions, Map<String, String> properties,
            Path runDir, String... args) {
        try {
            Files.createDirectories(runDir);
            Path log = runDir.resolve("daemon.log");
            Path gcLog = runDir.resolve("gc.log");
            Files.deleteIfExists(log);
            Files.deleteIfExists(gcLog);
            List<String> options = new ArrayList<>(List.of("-Xlog:gc:file=" + gcLog.toAbsolutePath()));
            options.addAll(jvmOptions);
            PackagedJar daemon = PackagedJar.in(runDir).jar(jar).heap(heap).jvmOptions(options).properties(properties)
                    .log(log)
                    // cycles that change nothing log their line at DEBUG: the idle measurements need them
                    .environment("SYNC_LOG_LEVEL", "DEBUG");
            Process process = daemon.start(args);
            int port = daemon.managementPort();
            return new DaemonProcess(process, log, gcLog, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + runDir + " for the daemon jar " + jar, e);
        }
    }

    /** Cycles finished so far (reads the log lines written since the last call). */
    public synchronized List<Cycle> cycles() {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(readOffset);
            byte[] fresh = in.readAllBytes();
            int end = lastNewline(fresh);
            if (end >= 0) {
                readOffset += end + 1;
                long now = System.nanoTime();
                for (String line : new String(fresh, 0, end, StandardCharsets.UTF_8).split("\n")) {
                    Optional<Cycle> cycle = parseCycle(line, now);
                    if (cycle.isPresent()) {
                        cycles.add(cycle.get());
                    } else if (FAILED.matcher(line).find() || line.contains("OutOfMemoryError")) {
                        failures.add(line.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(cycles);
    }

    /** The cycle a log line reports, if it is a cycle summary line; {@code seenAtNanos} is when it was read. */
    static Optional<Cycle> parseCycle(String line, long seenAtNanos) {
        Matcher m = CYCLE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new Cycle(m.group(1), l(m, 2), l(m, 3), l(m, 4), l(m, 5), l(m, 6), l(m, 7), l(m, 8), l(m, 9),
                l(m, 10), optional(m, 11), optional(m, 12), optional(m, 13), optional(m, 14), seenAtNanos));
    }

    /** Failed-cycle and out-of-memory lines seen in the log. */
    synchronized List<String> failures() {
        cycles();
        return List.copyOf(failures);
    }

    /** Waits for the first finished cycle matching {@code test}; fails when the daemon dies or time is up. */
    public Cycle awaitCycle(String what, Predicate<Cycle> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Cycle c : cycles()) {
                if (test.test(c)) {
                    return c;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the daemon exited (" + process.exitValue() + ") before " + what
                        + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + timeout.toSeconds() + " s; see " + log);
            }
            pause(50);
        }
    }

    /** The next {@code count} cycles that start after this call, as reported by the daemon. */
    List<Cycle> nextCycles(int count, Duration timeout) {
        long after = cycles().stream().mapToLong(Cycle::number).max().orElse(0) + 1; // skip the running one
        List<Cycle> taken = new ArrayList<>();
        awaitCycle(count + " more cycles", c -> {
            if (c.number() > after && taken.stream().noneMatch(t -> t.number() == c.number())) {
                taken.add(c);
            }
            return taken.size() >= count;
        }, timeout);
        return taken;
    }

    /** Heap occupancy from the GC log: the highest before a collection, and the highest left after one. */
    record Heap(long peakMb, long maxAfterGcMb, int collections) {
    }

    Heap heap() {
        try {
            if (!Files.exists(gcLog)) {
                return new Heap(0, 0, 0);
            }
            long peak = 0;
            long after = 0;
            int n = 0;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC_PAUSE.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, mb(m.group(1), m.group(2)));
                    after = Math.max(after, mb(m.group(3), m.group(4)));
                    n++;
                }
            }
            return new Heap(peak, after, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time the daemon's process has used so far (all its threads). */
    long cpuMillis() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toMillis)
                .orElseThrow(() -> new IllegalStateException("the OS does not report the daemon's CPU time"));
    }

    public Path log() {
        return log;
    }

    /** The daemon's management server ({@code /observe/health}, {@code /observe/metrics}). */
    public java.net.URI management(String path) {
        return java.net.URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the machine dies under the daemon, nothing runs to its end. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGSTOP: the process stops where it is and keeps what it holds (sockets, file locks), as in
     * a long GC pause, a frozen VM or a stuck disk; {@link #thaw()} resumes it.
     */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a command to end; answers its exit code. */
    int awaitExit(java.time.Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the command did not end within " + timeout + "; its log: " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGTERM, as an operator stops it; the daemon finishes a running cycle first. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long mb(String value, String unit) {
        long v = Long.parseLong(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }

    private static long l(Matcher m, int group) {
        return Long.parseLong(m.group(group));
    }

    /** A group of an optional part of the line: -1 when the daemon did not write that part. */
    private static long optional(Matcher m, int group) {
        return m.group(group) == null ? -1 : Long.parseLong(m.group(group));
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

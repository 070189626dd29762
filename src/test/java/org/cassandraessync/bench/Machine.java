package org.cassandraessync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cassandraessync.sandbox.Sandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The machine a run happens on: its description for the result, and waiting for it to be quiet. */
final class Machine {

    private static final Logger LOG = LoggerFactory.getLogger(Machine.class);
    private static final double QUIET = 0.25;
    private static final int MAX_WAIT_SECONDS = 60;

    private Machine() {
    }

    static BenchResult.Machine describe(Sandbox sandbox) {
        String cpu = grep(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        long memoryMb = grep(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.replaceAll("\\D", "")) / 1024)
                .orElse(0L);
        return new BenchResult.Machine(cpu, Runtime.getRuntime().availableProcessors(), memoryMb,
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "Java " + System.getProperty("java.version"), System.getProperty("sandbox.cassandra.version", "5.0.6"),
                sandbox.elasticsearchVersion());
    }

    /**
     * Waits until the stores have finished the background work the previous phase caused
     * (flushes, compactions, merges): the whole machine's CPU busy under 25% over one second, or
     * at most a minute.
     */
    static void settle() {
        long start = System.nanoTime();
        for (int s = 0; s < MAX_WAIT_SECONDS; s++) {
            long[] a = cpu();
            DaemonProcess.pause(1000);
            long[] b = cpu();
            double busy = 1.0 - (double) (b[1] - a[1]) / Math.max(1, b[0] - a[0]);
            if (busy < QUIET) {
                LOG.info("Machine quiet after {} s ({}% busy)", (System.nanoTime() - start) / 1_000_000_000,
                        Math.round(busy * 100));
                return;
            }
        }
        LOG.info("Machine still busy after {} s; going on", MAX_WAIT_SECONDS);
    }

    /** Total and idle (incl. I/O wait) jiffies of all CPUs. */
    private static long[] cpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {1, 1};
        }
    }

    private static java.util.Optional<String> grep(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(key)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}

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
     * at most {@code max}.
     */
    static void settle(java.time.Duration max) {
        long start = System.nanoTime();
        for (long s = 0; s < Math.max(1, max.toSeconds()); s++) {
            long[] a = cpu();
            DaemonProcess.pause(1000);
            long[] b = cpu();
            double busy = busy(a, b);
            if (busy < QUIET) {
                LOG.info("Machine quiet after {} s ({}% busy)", (System.nanoTime() - start) / 1_000_000_000,
                        Math.round(busy * 100));
                return;
            }
        }
        LOG.info("Machine still busy after {} s; going on", max.toSeconds());
    }

    /**
     * Samples the machine's CPU counters twice a second in the background, so that how busy the
     * machine was during any interval (e.g. one cycle, known only once it has finished) can be
     * told afterwards: 1.0 means every core was busy (the stores and the daemon compete for them).
     */
    static final class CpuSampler implements AutoCloseable {
        private record Reading(long nanos, long[] cpu) {
        }

        private final java.util.List<Reading> samples = new java.util.ArrayList<>();
        private final Thread thread;

        CpuSampler() {
            thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Reading r = new Reading(System.nanoTime(), cpu());
                    synchronized (samples) {
                        samples.add(r);
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-cpu");
            thread.setDaemon(true);
            thread.start();
        }

        /** Fraction of all cores busy between the samples nearest to the two instants (System.nanoTime). */
        double busyBetween(long fromNanos, long toNanos) {
            synchronized (samples) {
                Reading a = null;
                Reading b = null;
                for (Reading r : samples) {
                    if (r.nanos() <= fromNanos || a == null) {
                        a = r;
                    }
                    if (r.nanos() <= toNanos) {
                        b = r;
                    }
                }
                if (a == null || b == null || b.cpu()[0] <= a.cpu()[0]) {
                    return 0;
                }
                return busy(a.cpu(), b.cpu());
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    /** Fraction of all cores busy between two {@link #cpu()} readings. */
    private static double busy(long[] from, long[] to) {
        return 1.0 - (double) (to[1] - from[1]) / Math.max(1, to[0] - from[0]);
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

package org.cassandraessync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A process's CPU time, sampled every {@value #EVERY_MILLIS} ms in the background, so that the CPU
 * it used between two instants can be told afterwards: a backfill cycle's start is known only once
 * its summary line has been logged. Between two samples the CPU time is interpolated linearly.
 */
final class CpuTimeline implements AutoCloseable {

    static final long EVERY_MILLIS = 200;

    private record Sample(long nanos, long cpuMillis) {
    }

    private final LongSupplier cpuMillis;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;

    private CpuTimeline(String name, LongSupplier cpuMillis) {
        this.cpuMillis = cpuMillis;
        sample();
        thread = new Thread(() -> {
            // a process that has ended reports no CPU time: its timeline stops there
            while (!Thread.currentThread().isInterrupted() && sample()) {
                try {
                    Thread.sleep(EVERY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-cpu-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The daemon's process (all its threads). */
    static CpuTimeline of(DaemonProcess daemon) {
        return new CpuTimeline("daemon", daemon::cpuMillis);
    }

    /** This JVM: the writers, the load generator and its probe, the raw copiers. */
    static CpuTimeline ofThisJvm() {
        return new CpuTimeline("jvm", () -> ProcessHandle.current().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the OS does not report this JVM's CPU time")).toMillis());
    }

    /** CPU milliseconds used between two {@link System#nanoTime()} instants, both in the past. */
    long between(long fromNanos, long toNanos) {
        sample(); // so that an instant after the last background sample is bracketed too
        synchronized (samples) {
            return Math.max(0, Math.round(at(toNanos) - at(fromNanos)));
        }
    }

    private double at(long nanos) {
        Sample before = null;
        for (Sample s : samples) {
            if (s.nanos() >= nanos) {
                if (before == null) {
                    return s.cpuMillis(); // before the first sample: the process had barely started
                }
                double share = (double) (nanos - before.nanos()) / (s.nanos() - before.nanos());
                return before.cpuMillis() + share * (s.cpuMillis() - before.cpuMillis());
            }
            before = s;
        }
        return before == null ? 0 : before.cpuMillis();
    }

    private boolean sample() {
        // read under the lock, so that the samples stay in time order whichever thread takes them
        synchronized (samples) {
            try {
                samples.add(new Sample(System.nanoTime(), cpuMillis.getAsLong()));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}

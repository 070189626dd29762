package org.cassandraessync.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One sandbox server running as a child process, wrapped in a tiny shell watchdog: the watchdog
 * holds a pipe from this JVM on its stdin and stops the server when that pipe closes, so the
 * server dies with the JVM even when the JVM is killed with SIGKILL. Output goes to a log file
 * whose tail is shown when the server fails to start.
 */
final class ServerProcess implements AutoCloseable {

    private static final String WATCHDOG = String.join("\n",
            "exec 3<&0",
            "\"$@\" </dev/null &",
            "server=$!",
            "cat <&3 >/dev/null &",
            "watch=$!",
            "trap 'kill -TERM $server 2>/dev/null' TERM INT",
            "wait -n $server $watch",
            "kill -TERM $server 2>/dev/null",
            "kill $watch 2>/dev/null",
            "wait $server");

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;

    private ServerProcess(String name, Process process, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log,
            Path runDir) {
        try {
            Files.createDirectories(runDir);
            Path pidFile = runDir.resolve(name + ".pid");
            killLeftover(pidFile);
            List<String> wrapped = new ArrayList<>(List.of("bash", "-c", WATCHDOG, name + "-watchdog"));
            wrapped.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(wrapped)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process process = pb.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return new ServerProcess(name, process, log, pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sandbox " + name + ": " + command, e);
        }
    }

    /** A previous run killed with SIGKILL may have left its servers behind: stop them first. */
    private static void killLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).filter(h -> h.info().command().map(c -> c.endsWith("bash")).orElse(false))
                .ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
        Files.delete(pidFile);
    }

    /** Polls {@code ready} until it answers true; fails with the log tail if the server dies or times out. */
    void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sandbox " + name + " exited with code " + process.exitValue()
                        + " during startup. Last lines of " + log + ":\n" + logTail(60));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for sandbox " + name, e);
            }
        }
        close();
        throw new IllegalStateException("sandbox " + name + " not ready after " + timeout.toSeconds()
                + " s. Last lines of " + log + ":\n" + logTail(60));
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: it keeps its sockets but answers nothing. */
    void signal(String signal) {
        for (ProcessHandle p : process.descendants().toList()) {
            try {
                new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM through the watchdog, a grace period for a clean shutdown, then SIGKILL for anything left. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.addAll(process.descendants().toList());
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // nothing left to stop; a stale pid file is checked before the next start anyway
        }
    }
}

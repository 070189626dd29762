package org.cassandraessync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cassandraessync.sandbox.FreePorts;

/**
 * The packaged jar run as an operator runs it: {@code java -Xmx256m [JVM options] -Dkey=value …
 * -jar cassandra-es-sync.jar [command]} in a folder of its own, its output in one log file, its
 * management server (health, metrics) on a free port unless a {@code camel.management.port} is given.
 */
public final class PackagedJar {

    /** The jar the build packaged ({@code -Dapp.jar}, set by the failsafe configuration). */
    public static final Path JAR = Path.of(System.getProperty("app.jar", "target/cassandra-es-sync.jar"));

    private final Path workDir;
    private Path jar = JAR;
    private String heap = "256m";
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path log;

    private PackagedJar(Path workDir) {
        this.workDir = workDir;
        this.log = workDir.resolve("daemon.log");
    }

    /** The jar run in {@code workDir} (its working folder: no application.properties or routes/ unless put there). */
    public static PackagedJar in(Path workDir) {
        return new PackagedJar(workDir);
    }

    public PackagedJar jar(Path jar) {
        this.jar = jar;
        return this;
    }

    public PackagedJar heap(String heap) {
        this.heap = heap;
        return this;
    }

    public PackagedJar jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /** Each one as {@code -Dkey=value}; a key given again replaces the earlier value. */
    public PackagedJar properties(Map<String, String> values) {
        properties.putAll(values);
        return this;
    }

    public PackagedJar property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public PackagedJar withoutProperty(String key) {
        properties.remove(key);
        return this;
    }

    /** An environment variable of the jar's process (Camel reads {@code SYNC_PERIOD} as {@code sync.period}). */
    public PackagedJar environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Where the output goes (default {@code daemon.log} in the working folder); each start replaces it. */
    public PackagedJar log(Path file) {
        this.log = file;
        return this;
    }

    public Path log() {
        return log;
    }

    /** The log's text so far, empty before the first start. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int managementPort() {
        return Integer.parseInt(properties.computeIfAbsent("camel.management.port", k -> String.valueOf(FreePorts.next())));
    }

    /** The management server's URL for {@code path} ({@code /observe/health}, {@code /observe/metrics}). */
    public URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort() + path);
    }

    /** The whole command line, {@code args} (a command such as {@code verify} and its options) last. */
    public List<String> command(String... args) {
        managementPort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap));
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    public Process start(String... args) {
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command(args)).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the jar " + jar, e);
        }
    }

    /** Runs the jar with {@code args} to its end and answers its exit code; fails if it outlives {@code timeout}. */
    public int runToEnd(Duration timeout, String... args) {
        Process process = start(args);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the jar did not end within " + timeout.toSeconds() + " s: "
                        + String.join(" ", args) + "; its output: " + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

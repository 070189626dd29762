package org.cassandraessync.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.sandbox.DebianPackage;
import org.cassandraessync.sandbox.FreePorts;
import org.cassandraessync.support.Http;

/**
 * A real Prometheus (Debian's {@code prometheus} package, from the PATH or fetched by
 * {@link DebianPackage}) started for a test: it scrapes one target every second and evaluates the
 * given rules every second; its HTTP API answers queries and lists alerts.
 */
final class Prometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI api;
    private final Path log;

    private Prometheus(Process process, URI api, Path log) {
        this.process = process;
        this.api = api;
        this.log = log;
    }

    /** Prometheus's {@code prometheus} or {@code promtool}: on the PATH, else from Debian's package (fetched). */
    static String binary(String name) {
        return DebianPackage.of("prometheus").binary(name);
    }

    /**
     * Starts Prometheus in {@code dir}, scraping {@code target} ({@code host:port}) at {@code path}
     * every second, with {@code rules} evaluated every second.
     */
    static Prometheus start(Path dir, String target, String path, Path rules) throws IOException {
        Files.createDirectories(dir);
        int port = FreePorts.next();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: cassandra-es-sync
                    metrics_path: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules.toAbsolutePath(), path, target));
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(List.of(binary("prometheus"), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Prometheus(process, URI.create("http://127.0.0.1:" + port), log);
    }

    /** The {@code data} of an API answer; fails with the answer when it is not a success. */
    JsonNode api(String pathAndQuery) {
        Http.Answer answer = Http.get(api.resolve(pathAndQuery), Duration.ofSeconds(5));
        try {
            JsonNode root = JSON.readTree(answer.body());
            if (answer.status() != 200 || !"success".equals(root.path("status").asText())) {
                throw new AssertionError("Prometheus answered " + answer.status() + ": " + answer.body());
            }
            return root.get("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of an instant query: one element per series. */
    JsonNode query(String promql) {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result");
    }

    /** The alerts pending or firing now. */
    JsonNode alerts() {
        return api("/api/v1/alerts").get("alerts");
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

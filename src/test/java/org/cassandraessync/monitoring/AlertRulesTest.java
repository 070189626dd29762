package org.cassandraessync.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The shipped alerting rules, checked by Prometheus's own tool: they parse, and each alert fires on
 * the series of its test case and stays silent on the others ({@code monitoring/prometheus/tests}).
 * promtool comes with Debian's {@code prometheus} package: the one on the PATH, else the package
 * fetched into the sandbox folder ({@link Prometheus#binary}).
 */
class AlertRulesTest {

    static final Path RULES = Path.of("monitoring", "prometheus", "cassandra-es-sync-rules.yml");
    private static final Path TESTS = Path.of("monitoring", "prometheus", "tests", "cassandra-es-sync-rules-test.yml");

    @Test
    void the_rules_parse() throws Exception {
        Result check = promtool("check", "rules", RULES.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 7 rules found");
    }

    @Test
    void each_alert_fires_on_its_series_and_stays_silent_on_the_others() throws Exception {
        Result test = promtool("test", "rules", TESTS.toString());
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    record Result(int exit, String output) {
    }

    static Result promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Prometheus.binary("promtool")));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ends within 60 s").isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}

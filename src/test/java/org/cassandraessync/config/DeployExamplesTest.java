package org.cassandraessync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The deployment examples in {@code deploy/} name only settings that exist, and probe the health
 * paths on the port the shipped {@code application.properties} serves them on.
 */
class DeployExamplesTest {

    private static final Path DEPLOY = Path.of("deploy");
    /** A key on its own, after {@code -D}, or in a properties line; not a piece of a longer name. */
    private static final Pattern KEY = Pattern.compile("(?:(?<=-D)|(?<![\\w.-]))sync\\.[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern VARIABLE = Pattern.compile("\\bSYNC_[A-Z0-9_]+\\b");

    @Test
    void every_sync_key_and_variable_the_examples_name_is_in_the_catalogue() throws IOException {
        Set<String> keys = Arrays.stream(SyncSetting.values()).map(SyncSetting::key).collect(Collectors.toSet());
        Set<String> variables = keys.stream().map(k -> k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))
                .collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        int named = 0;
        for (Path file : files()) {
            String text = Files.readString(file);
            Matcher key = KEY.matcher(text);
            while (key.find()) {
                named++;
                if (!keys.contains(key.group())) {
                    unknown.add(file + ": " + key.group());
                }
            }
            Matcher variable = VARIABLE.matcher(text);
            while (variable.find()) {
                named++;
                if (!variables.contains(variable.group())) {
                    unknown.add(file + ": " + variable.group());
                }
            }
        }
        assertThat(named).as("keys the examples name").isGreaterThan(10);
        assertThat(unknown).as("settings the catalogue does not have").isEmpty();
    }

    @Test
    void the_probes_use_the_health_paths_and_port_of_application_properties() throws IOException {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        }
        String health = shipped.getProperty("camel.management.health-path");
        String port = shipped.getProperty("camel.management.port");
        String kubernetes = Files.readString(DEPLOY.resolve("kubernetes").resolve("cassandra-es-sync.yaml"));
        assertThat(kubernetes).contains("path: " + health + "/live", "path: " + health + "/ready",
                "containerPort: " + port, "timeoutSeconds: 3", "camel.management.port=" + port,
                "camel.management.health-path=" + health, "camel.metrics.path=" + shipped.getProperty("camel.metrics.path"));
    }

    private static java.util.List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(DEPLOY)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }
}

package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Dependencies between the project's packages point one way: the record model depends on nothing,
 * the stores on the model, the cycle engine on the model and the state only, and only the wiring
 * (pair, the application) sees everything; the settings (config) come before the connections
 * (connect) that use them. Read from the sources' references.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "org", "cassandraessync");
    private static final Pattern REFERENCE = Pattern.compile("org\\.cassandraessync\\.([a-z]+)\\.[A-Z]");

    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("record", Set.of()),
            Map.entry("state", Set.of("record")),
            Map.entry("cassandra", Set.of("record", "state")),
            Map.entry("elasticsearch", Set.of("record", "state")),
            Map.entry("schema", Set.of("record", "state", "cassandra", "elasticsearch")),
            Map.entry("cycle", Set.of("record", "state")),
            Map.entry("config", Set.of("record", "schema")),
            Map.entry("connect", Set.of("record", "config")),
            Map.entry("ha", Set.of("record", "state", "config", "connect")),
            Map.entry("observe", Set.of("record", "cycle", "config", "connect", "ha")),
            Map.entry("pair", Set.of("record", "state", "cassandra", "elasticsearch", "schema", "cycle", "config",
                    "connect", "ha", "observe")),
            Map.entry("", Set.of("config", "connect", "pair", "record")));

    @Test
    void packages_depend_on_each_other_one_way_only() throws IOException {
        Map<String, Set<String>> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file.getParent() == null ? file : file.getParent());
                String pkg = relative.toString().replace('/', '.');
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        actual.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1));
                    }
                }
            }
        }
        assertThat(actual).as("references found").containsKeys("pair", "cassandra", "cycle", "");
        assertThat(ALLOWED.keySet()).as("every package has declared dependencies").containsAll(actual.keySet());
        actual.forEach((pkg, uses) -> assertThat(ALLOWED.get(pkg)).as("package '%s' may use", pkg)
                .containsAll(uses));
    }

    /**
     * What differs between the stores is decided in the store packages (and in the wiring that
     * builds one store per side): elsewhere the engine, the commands and the metrics go through a
     * side's store or loop over the sides, with no {@code side == CASSANDRA ? … : …}.
     */
    @Test
    void store_specific_choices_are_made_in_the_store_packages_only() throws IOException {
        Pattern dispatch = Pattern.compile("==\\s*Side\\.[A-Z]+\\s*\\?|case\\s+(Side\\.)?(CASSANDRA|ELASTICSEARCH)\\b"
                + "|case\\s+\"(cassandra|elasticsearch)\"");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                if (pkg.equals("cassandra") || pkg.equals("elasticsearch")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int n = 0; n < lines.size(); n++) {
                    if (dispatch.matcher(lines.get(n)).find()) {
                        found.add(SOURCES.relativize(file) + ":" + (n + 1) + ": " + lines.get(n).trim());
                    }
                }
            }
        }
        assertThat(found).as("side dispatches outside the store packages").isEmpty();
    }
}

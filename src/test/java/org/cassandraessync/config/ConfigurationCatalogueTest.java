package org.cassandraessync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The catalogue in {@link SyncSetting} is the single source: the shipped file and the README follow it. */
class ConfigurationCatalogueTest {

    private static Set<String> catalogue() {
        Set<String> keys = new LinkedHashSet<>();
        Arrays.stream(SyncSetting.values()).forEach(s -> keys.add(s.key()));
        return keys;
    }

    @Test
    void application_properties_sets_every_key_to_its_default_under_a_comment() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("application.properties"));
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("sync.")) {
                String key = line.substring(0, line.indexOf('='));
                found.add(key);
                assertThat(lines.get(i - 1)).as("comment above " + key).startsWith("#");
                SyncSetting setting = Arrays.stream(SyncSetting.values()).filter(s -> s.key().equals(key))
                        .findFirst().orElseThrow(() -> new AssertionError(key + " is not in the catalogue"));
                assertThat(line.substring(line.indexOf('=') + 1)).as("default of " + key)
                        .isEqualTo(setting.defaultValue());
            }
        }
        assertThat(found).containsExactlyElementsOf(catalogue());
    }

    @Test
    void readme_configuration_table_documents_every_key_with_its_default() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README section Configuration").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher rows = Pattern.compile("(?m)^\\| `(sync\\.[a-z.-]+)` \\| (`[^`]*`|\\(empty\\)) \\|").matcher(section);
        Set<String> documented = new LinkedHashSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
            SyncSetting setting = Arrays.stream(SyncSetting.values()).filter(x -> x.key().equals(rows.group(1)))
                    .findFirst().orElseThrow(() -> new AssertionError(rows.group(1) + " is not in the catalogue"));
            String shown = rows.group(2).equals("(empty)") ? "" : rows.group(2).substring(1, rows.group(2).length() - 1);
            assertThat(shown).as("README default of " + setting.key()).isEqualTo(setting.defaultValue());
        }
        assertThat(documented).as("keys in the README's Configuration table")
                .containsExactlyInAnyOrderElementsOf(catalogue());
    }

    @Test
    void the_route_templates_parameters_are_the_public_ones_and_default_to_the_daemon_wide_keys()
            throws IOException {
        List<String> lines = Files.readAllLines(Path.of("routes", "cassandra-es-sync.yaml"));
        List<String> parameterLines = lines.subList(lines.indexOf("    parameters:"), lines.indexOf("    beans:"));
        Pattern name = Pattern.compile("^      - name: ([a-z-]+)$");
        Pattern defaultValue = Pattern.compile("^        defaultValue: \"\\{\\{([a-z.-]+):([^}]*)}}\"$");
        List<String> names = new java.util.ArrayList<>();
        for (String line : parameterLines) {
            Matcher n = name.matcher(line);
            Matcher d = defaultValue.matcher(line);
            if (n.matches()) {
                names.add(n.group(1));
            } else if (d.matches()) {
                SyncSetting setting = Arrays.stream(SyncSetting.values()).filter(x -> x.key().equals(d.group(1)))
                        .findFirst().orElseThrow(() -> new AssertionError(d.group(1) + " is not in the catalogue"));
                String parameter = names.get(names.size() - 1);
                assertThat(d.group(2)).as("default of parameter " + parameter).isEqualTo(setting.defaultValue());
                // the pair "default" (and the startup check of the daemon-wide keys) reads the same key
                assertThat(PairSettings.DAEMON_KEYS.get(parameter)).as("daemon-wide key of " + parameter)
                        .isEqualTo(setting);
            } else {
                assertThat(line).as("a parameter's default is a daemon-wide key").doesNotContain("defaultValue");
            }
        }
        assertThat(names).containsExactlyElementsOf(PairSettings.PARAMETERS);
        String readme = Files.readString(Path.of("README.md"));
        for (String parameter : PairSettings.PARAMETERS) {
            assertThat(readme).as("README row of parameter " + parameter).containsPattern("(?m)^\\| `" + parameter + "` \\|");
        }
    }
}

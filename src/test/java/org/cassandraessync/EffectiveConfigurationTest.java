package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.cassandraessync.config.SyncSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config}: each value and where it came from, a key set in each place Camel reads. */
class EffectiveConfigurationTest {

    @TempDir
    Path workDir;

    @Test
    void each_key_names_the_place_it_was_set_the_environment_first_then_minus_d_then_the_file() throws IOException {
        Files.writeString(workDir.resolve("application.properties"), """
                sync.period=7s
                sync.overlap=5s
                sync.batch-size=100
                sync.tie-breaker=cassandra
                camel.route-template[o].template-id=cassandra-es-sync
                camel.route-template[o].pair=orders
                camel.route-template[o].table=orders
                """);
        Properties system = new Properties();
        system.setProperty("sync.tie-breaker", "elasticsearch");
        system.setProperty("sync.batch-size", "200");
        system.setProperty("sync.elasticsearch.password", "s3cret-value");
        system.setProperty("camel.route-template[o].index", "orders-v2");
        Map<String, String> environment = Map.of("SYNC_BATCH_SIZE", "500", "SYNC_HA_ZOOKEEPER_NODES", "zk:2181");
        EffectiveConfiguration config = new EffectiveConfiguration(Map.of(), environment::get, system, workDir);

        assertThat(config.of(SyncSetting.PERIOD)).isEqualTo(origin("7s", "application.properties"));
        assertThat(config.of(SyncSetting.OVERLAP)).as("the file repeats the default")
                .isEqualTo(origin("5s", "default"));
        assertThat(config.of(SyncSetting.TIE_BREAKER)).isEqualTo(origin("elasticsearch", "-D"));
        assertThat(config.of(SyncSetting.BATCH_SIZE)).as("the environment wins over -D and the file")
                .isEqualTo(origin("500", "environment (SYNC_BATCH_SIZE)"));
        assertThat(config.of(SyncSetting.HA_ZOOKEEPER_NODES)).isEqualTo(origin("zk:2181",
                "environment (SYNC_HA_ZOOKEEPER_NODES)"));
        assertThat(config.of(SyncSetting.CASSANDRA_TABLE)).isEqualTo(origin("records", "default"));

        assertThat(config.declaredPairs()).containsOnlyKeys("orders");
        assertThat(config.declaredPairs().get("orders"))
                .containsEntry("table", origin("orders", "pair declaration (application.properties,"
                        + " camel.route-template[o].table)"))
                .containsEntry("index", origin("orders-v2", "pair declaration (-D, camel.route-template[o].index)"));

        String printed = print(config);
        assertThat(printed).doesNotContain("s3cret-value").containsPattern("sync\\.elasticsearch\\.password +\\*{4} +-D")
                .containsPattern("\\n  period +7s +from sync\\.period: application\\.properties")
                .containsPattern("\\n  batch-size +500 +from sync\\.batch-size: environment \\(SYNC_BATCH_SIZE\\)");
    }

    @Test
    void a_pair_declared_in_a_yaml_route_shows_its_file() throws IOException {
        Files.createDirectories(workDir.resolve("routes"));
        Files.writeString(workDir.resolve("routes").resolve("pairs.yaml"), """
                - templatedRoute:
                    routeTemplateRef: cassandra-es-sync
                    routeId: logs
                    parameters:
                      - name: pair
                        value: logs
                      - name: overlap
                        value: 9s
                """);
        EffectiveConfiguration config = new EffectiveConfiguration(Map.of(), k -> null, new Properties(), workDir);

        assertThat(config.declaredPairs().get("logs")).containsEntry("overlap",
                origin("9s", "pair declaration (routes/pairs.yaml)"));
        assertThat(print(config)).containsPattern("\\n  overlap +9s +pair declaration \\(routes/pairs\\.yaml\\)")
                .containsPattern("\\n  table +records +from sync\\.cassandra\\.table: default");
    }

    @Test
    void without_a_declared_pair_the_default_pair_is_shown() {
        EffectiveConfiguration config = new EffectiveConfiguration(Map.of(), k -> null, new Properties(), workDir);
        assertThat(print(config)).contains("No pair declared", "Pair default:");
    }

    @Test
    void a_value_the_daemon_would_refuse_is_named_with_its_key_wherever_it_was_set() throws IOException {
        Files.writeString(workDir.resolve("application.properties"), "sync.batch-size=lots\n");
        Properties system = new Properties();
        system.setProperty("sync.period", "soon");
        Map<String, String> environment = Map.of("SYNC_OVERLAP", "5s");
        EffectiveConfiguration config = new EffectiveConfiguration(Map.of(), environment::get, system, workDir);

        assertThat(config.problems()).hasSize(2).anySatisfy(p -> assertThat(p).startsWith("sync.period = 'soon'"))
                .anySatisfy(p -> assertThat(p).startsWith("sync.batch-size = 'lots'"));
        assertThat(new EffectiveConfiguration(Map.of(), k -> null, new Properties(), workDir.resolve("empty"))
                .problems()).as("the defaults start").isEmpty();
    }

    private static EffectiveConfiguration.Origin origin(String value, String source) {
        return new EffectiveConfiguration.Origin(value, source);
    }

    private static String print(EffectiveConfiguration config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        config.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}

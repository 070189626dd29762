package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The jar's command line as an operator meets it: help, version, a mistyped option. No store is contacted. */
class SyncCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final SyncCli cli = new SyncCli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());

    @Test
    void help_lists_every_command_and_the_exit_codes() {
        for (String help : new String[] {"--help", "-h"}) {
            out.reset();
            assertThat(cli.execute(help)).isEqualTo(SyncCli.OK);
            assertThat(printed()).contains("Usage: java -jar cassandra-es-sync.jar", "run ", "verify ", "dry-run ",
                    "check ", "config ", "Exit codes: 0 fine; 1 findings", "2 error", "SYNC_PERIOD");
        }
    }

    @Test
    void each_command_has_its_own_help_and_runs_nothing() {
        StringBuilder all = new StringBuilder();
        for (String command : new String[] {"run", "verify", "dry-run", "check", "config"}) {
            out.reset();
            assertThat(cli.execute(command, "--help")).as(command).isEqualTo(SyncCli.OK);
            assertThat(printed()).as(command).contains("Usage: java -jar cassandra-es-sync.jar " + command)
                    .contains("Exit codes:");
            all.append(printed());
        }
        assertThat(all).contains("--pair", "--output", "--repair", "✔", "⚠", "✘");
    }

    @Test
    void version_names_the_project_camel_and_both_store_clients() {
        assertThat(cli.execute("--version")).isEqualTo(SyncCli.OK);
        assertThat(printed()).containsPattern("cassandra-es-sync \\d+\\.\\d+\\.\\d+")
                .contains("Apache Camel 4.14.0").containsPattern("Cassandra Java driver 4\\.\\d+")
                .containsPattern("Elasticsearch Java client \\d+\\.\\d+");
    }

    @Test
    void an_unknown_option_prints_one_line_then_the_usage_and_exits_2() {
        assertThat(cli.execute("verify", "--fix")).isEqualTo(SyncCli.ERROR);
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).isEqualTo("Unknown option: '--fix'");
        assertThat(lines[1]).startsWith("Usage: java -jar cassandra-es-sync.jar verify");
        assertThat(out.size()).as("nothing on the standard output").isZero();

        err.reset();
        assertThat(cli.execute("--colour")).isEqualTo(SyncCli.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Unknown option: '--colour'")
                .contains("Usage: java -jar cassandra-es-sync.jar [-hV] [COMMAND]");

        err.reset();
        assertThat(cli.execute("verify", "--pair")).isEqualTo(SyncCli.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Missing required parameter for option '--pair'");
    }

    @Test
    void dry_run_takes_no_repair() {
        assertThat(cli.execute("dry-run", "--repair")).isEqualTo(SyncCli.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Unknown option: '--repair'");
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }
}

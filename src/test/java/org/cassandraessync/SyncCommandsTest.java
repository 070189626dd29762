package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SyncCommandsTest {

    private final SyncCommands commands = new SyncCommands(new PrintStream(java.io.OutputStream.nullOutputStream()));

    @Test
    void only_verify_and_dry_run_are_commands() {
        assertThat(SyncCommands.isCommand(new String[] {"verify"})).isTrue();
        assertThat(SyncCommands.isCommand(new String[] {"dry-run", "--pair", "x"})).isTrue();
        assertThat(SyncCommands.isCommand(new String[] {})).isFalse();
        assertThat(SyncCommands.isCommand(new String[] {"--help"})).isFalse();
    }

    @Test
    void an_unknown_option_or_a_missing_value_is_refused_with_the_usage() {
        assertThatThrownBy(() -> commands.run(new String[] {"verify", "--fix"}, Map.of()))
                .hasMessageContaining("unknown option '--fix'").hasMessageContaining("usage: java -jar");
        assertThatThrownBy(() -> commands.run(new String[] {"verify", "--pair"}, Map.of()))
                .hasMessageContaining("--pair needs a value");
        assertThatThrownBy(() -> commands.run(new String[] {"dry-run", "--repair"}, Map.of()))
                .hasMessageContaining("dry-run takes only --pair");
    }
}

package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.curator.test.TestingServer;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.config.SyncSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check}'s election line: can the configured election run here, without joining it. */
class ElectionProbeTest {

    @TempDir
    Path stateDir;

    @Test
    void zookeeper_that_answers_passes_and_one_that_is_stopped_fails_naming_the_nodes() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true)) {
            HighAvailability ha = ha(Map.of("sync.ha.cluster-service", "zookeeper",
                    "sync.ha.zookeeper.nodes", zookeeper.getConnectString()));
            assertThat(ElectionProbe.probe(new DefaultCamelContext(), ha, stateDir))
                    .contains("zookeeper: " + zookeeper.getConnectString() + " answers",
                            "/cassandra-es-sync does not exist yet");
            zookeeper.stop();
            assertThatThrownBy(() -> ElectionProbe.probe(new DefaultCamelContext(), ha, stateDir))
                    .hasMessageContaining("no answer from " + zookeeper.getConnectString());
        }
    }

    @Test
    void lock_files_need_a_folder_the_daemon_may_write() throws Exception {
        HighAvailability ha = ha(Map.of("sync.ha.cluster-service", "file"));
        assertThat(ElectionProbe.probe(new DefaultCamelContext(), ha, stateDir.resolve("shared")))
                .contains("lock files in " + stateDir.resolve("shared").resolve("leadership"));
        assertThat(stateDir.resolve("shared")).as("nothing created").doesNotExist();
        // sync.state-dir under a file (a mistyped path): no folder can be made there, even as root
        Path file = java.nio.file.Files.writeString(stateDir.resolve("a-file"), "x");
        assertThatThrownBy(() -> ElectionProbe.probe(new DefaultCamelContext(), ha, file.resolve("shared")))
                .hasMessageContaining("cannot create or write the folder " + file.resolve("shared").resolve("leadership"));
    }

    @Test
    void camel_needs_a_cluster_service_in_the_context() {
        HighAvailability ha = ha(Map.of("sync.ha.cluster-service", "camel"));
        assertThatThrownBy(() -> ElectionProbe.probe(new DefaultCamelContext(), ha, stateDir))
                .hasMessageContaining("the Camel context has no CamelClusterService");
    }

    private static HighAvailability ha(Map<String, String> keys) {
        return SyncSettings.from(k -> Optional.ofNullable(keys.get(k))).ha();
    }
}

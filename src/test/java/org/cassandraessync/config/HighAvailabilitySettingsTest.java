package org.cassandraessync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@code sync.ha.*} and {@code sync.checkpoint-store}: what several instances need, checked at startup. */
class HighAvailabilitySettingsTest {

    private static HighAvailability ha(Map<String, String> values) {
        return SyncSettings.from(key -> Optional.ofNullable(values.get(key))).ha();
    }

    @Test
    void without_a_cluster_service_an_instance_runs_every_pair_with_checkpoint_files() {
        HighAvailability ha = ha(Map.of());
        assertThat(ha.enabled()).isFalse();
        assertThat(ha.checkpointsInCassandra()).isFalse();
        assertThat(ha.prefers("anything")).isTrue();
        assertThat(ha.instanceId()).as("host name and process id").matches(".+-\\d+");
    }

    @Test
    void checkpoints_go_where_every_instance_reads_them() {
        assertThat(ha(Map.of("sync.ha.cluster-service", "file")).checkpointsInCassandra())
                .as("file: the shared folder already holds them").isFalse();
        assertThat(ha(Map.of("sync.ha.cluster-service", "zookeeper", "sync.ha.zookeeper.nodes", "zk:2181"))
                .checkpointsInCassandra()).as("zookeeper: in Cassandra").isTrue();
        assertThat(ha(Map.of("sync.ha.cluster-service", "camel")).checkpointsInCassandra()).isTrue();
        assertThat(ha(Map.of("sync.ha.cluster-service", "zookeeper", "sync.ha.zookeeper.nodes", "zk:2181",
                "sync.checkpoint-store", "file")).checkpointsInCassandra()).as("an explicit choice wins").isFalse();
        assertThat(ha(Map.of("sync.checkpoint-store", "cassandra")).checkpointsInCassandra()).isTrue();
    }

    @Test
    void preferences_and_timings_are_read() {
        HighAvailability ha = ha(Map.of("sync.ha.cluster-service", "file", "sync.ha.instance-id", "sync-a",
                "sync.ha.preferred-pairs", "orders, invoices", "sync.ha.standby-delay", "30s",
                "sync.ha.file.retry-interval", "500ms"));
        assertThat(ha.instanceId()).isEqualTo("sync-a");
        assertThat(ha.prefers("orders")).isTrue();
        assertThat(ha.prefers("invoices")).isTrue();
        assertThat(ha.prefers("customers")).isFalse();
        assertThat(ha.standbyDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ha.fileRetryInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(HighAvailability.namespace("orders")).isEqualTo("cassandra-es-sync-orders");
    }

    @Test
    void contradictions_fail_startup_naming_the_keys() {
        assertThatThrownBy(() -> ha(Map.of("sync.ha.cluster-service", "zookeeper")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("sync.ha.zookeeper.nodes");
        assertThatThrownBy(() -> ha(Map.of("sync.ha.preferred-pairs", "orders")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("sync.ha.preferred-pairs")
                .hasMessageContaining("sync.ha.cluster-service");
        assertThatThrownBy(() -> ha(Map.of("sync.ha.cluster-service", "etcd", "sync.checkpoint-store", "zookeeper",
                "sync.ha.instance-id", "has space", "sync.ha.zookeeper.base-path", "relative",
                "sync.cassandra.checkpoint-table", "bad-name", "sync.ha.file.retry-interval", "0s")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sync.ha.cluster-service").hasMessageContaining("sync.checkpoint-store")
                .hasMessageContaining("sync.ha.instance-id").hasMessageContaining("sync.ha.zookeeper.base-path")
                .hasMessageContaining("sync.cassandra.checkpoint-table")
                .hasMessageContaining("sync.ha.file.retry-interval");
    }
}

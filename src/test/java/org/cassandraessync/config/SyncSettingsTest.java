package org.cassandraessync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.cassandraessync.record.Side;
import org.junit.jupiter.api.Test;

class SyncSettingsTest {

    private static SyncSettings settings(Map<String, String> values) {
        return SyncSettings.from(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaults_point_at_local_stores() {
        SyncSettings s = settings(Map.of());
        assertThat(s.cassandraContactPoints()).singleElement()
                .satisfies(a -> assertThat(a.getHostString() + ":" + a.getPort()).isEqualTo("127.0.0.1:9042"));
        assertThat(s.elasticsearchHosts()).containsExactly(URI.create("http://127.0.0.1:9200"));
        assertThat(s.defaultPair().period()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.cassandraCredentials()).isEmpty();
        assertThat(s.defaultPair().tieBreaker()).isEqualTo(Side.CASSANDRA);
        assertThat(s.defaultPair().createSchema()).isTrue();
    }

    @Test
    void values_are_parsed_into_their_types() {
        SyncSettings s = settings(Map.of(
                "sync.cassandra.contact-points", "10.0.0.1:9042, 10.0.0.2:19042",
                "sync.elasticsearch.hosts", "https://es1:9243,http://es2:9200",
                "sync.period", "1m30s",
                "sync.cassandra.username", "sync",
                "sync.cassandra.password", "secret",
                "sync.tie-breaker", "Elasticsearch"));
        assertThat(s.cassandraContactPoints()).hasSize(2);
        assertThat(s.cassandraContactPoints().get(1).getPort()).isEqualTo(19042);
        assertThat(s.elasticsearchHosts()).hasSize(2);
        assertThat(s.defaultPair().period()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.cassandraCredentials()).hasValueSatisfying(c -> assertThat(c.password()).isEqualTo("secret"));
        assertThat(s.cassandraCredentials().get().toString()).doesNotContain("secret");
        assertThat(s.defaultPair().tieBreaker()).isEqualTo(Side.ELASTICSEARCH);
    }

    @Test
    void every_invalid_key_is_named_in_one_startup_error() {
        assertThatThrownBy(() -> settings(Map.of(
                "sync.period", "0s",
                "sync.cassandra.contact-points", "localhost",
                "sync.elasticsearch.hosts", "ftp://es:21",
                "sync.elasticsearch.index", "Records",
                "sync.cassandra.keyspace", "bad-name",
                "sync.create-schema", "yes",
                "sync.to-elasticsearch", "mask-emails",
                "sync.elasticsearch.password", "orphan")))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).hasSize(8))
                .hasMessageContaining("sync.period = '0s'")
                .hasMessageContaining("sync.cassandra.contact-points = 'localhost'")
                .hasMessageContaining("sync.elasticsearch.hosts = 'ftp://es:21'")
                .hasMessageContaining("sync.elasticsearch.index = 'Records'")
                .hasMessageContaining("sync.cassandra.keyspace = 'bad-name'")
                .hasMessageContaining("sync.create-schema = 'yes'")
                .hasMessageContaining("sync.to-elasticsearch = 'mask-emails': expected an endpoint URI")
                .hasMessageContaining("sync.elasticsearch.password is set but sync.elasticsearch.username is empty");
    }

    @Test
    void iso_durations_are_accepted_and_garbage_is_not() {
        assertThat(settings(Map.of("sync.period", "PT0.5S")).defaultPair().period()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> settings(Map.of("sync.period", "soon")))
                .hasMessageContaining("sync.period = 'soon': expected a duration");
        assertThatThrownBy(() -> settings(Map.of("sync.period", "abc")))
                .hasMessageContaining("sync.period = 'abc': expected a duration such as 500ms, 5s");
        assertThat(settings(Map.of("sync.overlap", "0s")).defaultPair().overlap()).isZero();
        assertThat(settings(Map.of("sync.overlap", "1h30m")).defaultPair().overlap()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void a_rejected_secret_is_named_by_its_key_and_never_shown() {
        String secret = "hunter2 hunter2";
        SyncSettings.Reader reader = new SyncSettings.Reader(k -> java.util.Optional.of(secret), "");
        reader.get(SyncSetting.ELASTICSEARCH_PASSWORD, v -> {
            throw new IllegalArgumentException("unusable");
        });
        assertThatThrownBy(reader::failOnProblems)
                .hasMessageContaining("sync.elasticsearch.password = '****': unusable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void cron_write_mode_and_schema_evolution_are_validated() {
        SyncSettings s = settings(Map.of("sync.cron", "0/10 * * * * ?", "sync.cassandra.write-mode", "LWT",
                "sync.cassandra.schema-evolution", "ignore"));
        assertThat(s.defaultPair().cron()).hasValue("0/10 * * * * ?");
        assertThat(s.defaultPair().lightweightTransactions()).isTrue();
        assertThat(s.defaultPair().schemaEvolution()).isEqualTo(org.cassandraessync.schema.SchemaEvolution.Mode.IGNORE);
        assertThatThrownBy(() -> settings(Map.of("sync.cron", "every minute", "sync.cassandra.write-mode", "paxos",
                "sync.batch-size", "0")))
                .hasMessageContaining("sync.cron = 'every minute'")
                .hasMessageContaining("sync.cassandra.write-mode = 'paxos'")
                .hasMessageContaining("sync.batch-size = '0'");
    }
}

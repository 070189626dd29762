package org.cassandraessync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.cassandraessync.record.Side;
import org.junit.jupiter.api.Test;

class PairSettingsTest {

    /** A pair's parameters as the template passes them: every default filled in. */
    private static Map<String, String> parameters() {
        Map<String, String> p = new HashMap<>();
        p.put("pair", "products");
        p.put("keyspace", "shop");
        p.put("table", "products");
        p.put("index", "products");
        p.put("period", "5s");
        p.put("cron", "");
        p.put("overlap", "5s");
        p.put("batch-size", "1000");
        p.put("id-field", "id");
        p.put("timestamp-field", "last_modified");
        p.put("tie-breaker", "elasticsearch");
        p.put("schema-evolution", "add-columns");
        p.put("write-mode", "lwt");
        p.put("create-schema", "false");
        return p;
    }

    @Test
    void valid_parameters_become_typed_settings() {
        PairSettings s = PairSettings.from(parameters()::get);
        assertThat(s.pair()).isEqualTo("products");
        assertThat(s.period()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.tieBreaker()).isEqualTo(Side.ELASTICSEARCH);
        assertThat(s.lightweightTransactions()).isTrue();
        assertThat(s.createSchema()).isFalse();
        assertThat(s.legacyCheckpointName()).isEqualTo("shop.products-products");
        assertThat(s.yourSteps(Side.ELASTICSEARCH)).as("no route named: none").isEmpty();
    }

    @Test
    void the_routes_named_on_the_way_to_each_store_are_endpoints_or_nothing() {
        Map<String, String> p = parameters();
        p.put("to-elasticsearch", "direct:mask-emails");
        p.put("to-cassandra", "");
        PairSettings s = PairSettings.from(p::get);
        assertThat(s.yourSteps(Side.ELASTICSEARCH)).hasValue("direct:mask-emails");
        assertThat(s.yourSteps(Side.CASSANDRA)).isEmpty();

        p.put("to-cassandra", "mask-emails");
        assertThatThrownBy(() -> PairSettings.from(p::get))
                .hasMessageContaining("pair 'products': to-cassandra = 'mask-emails': expected an endpoint URI");
    }

    @Test
    void every_invalid_parameter_is_reported_at_once_naming_the_pair() {
        Map<String, String> p = parameters();
        p.put("batch-size", "lots");
        p.put("index", "Products");
        p.put("period", "abc");
        assertThatThrownBy(() -> PairSettings.from(p::get))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("pair 'products': batch-size = 'lots'")
                .hasMessageContaining("pair 'products': index = 'Products'")
                .hasMessageContaining("pair 'products': period = 'abc'");
    }

    @Test
    void a_missing_table_or_a_name_unfit_for_file_names_is_refused() {
        Map<String, String> p = parameters();
        p.remove("table");
        p.put("pair", "../etc");
        assertThatThrownBy(() -> PairSettings.from(p::get))
                .hasMessageContaining("pair '../etc': pair = '../etc'")
                .hasMessageContaining("table = ''");
    }

    @Test
    void the_quartz_schedule_comes_from_the_period_or_the_cron() {
        QuartzSchedule schedule = new QuartzSchedule();
        assertThat(schedule.apply("products,1m,")).isEqualTo("trigger.repeatInterval=60000&trigger.repeatCount=-1");
        assertThat(schedule.apply("products,5s,0/10 * * * * ?")).isEqualTo("cron=0/10+*+*+*+*+?");
        assertThatThrownBy(() -> schedule.apply("products,soon,")).hasMessageContaining("pair 'products': period = 'soon'");
        assertThatThrownBy(() -> schedule.apply("products,5s,every day"))
                .hasMessageContaining("pair 'products': cron = 'every day'");
    }
}

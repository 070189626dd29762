package org.cassandraessync.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PairReadinessTest {

    @Test
    void the_staleness_bound_is_three_periods_and_at_least_a_minute() {
        assertThat(PairReadiness.bound(Duration.ofSeconds(5), Optional.empty())).isEqualTo(Duration.ofMinutes(1));
        assertThat(PairReadiness.bound(Duration.ofMinutes(1), Optional.empty())).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void with_a_cron_expression_the_bound_follows_its_interval_not_the_period() {
        assertThat(PairReadiness.bound(Duration.ofSeconds(5), Optional.of("0 0/5 * * * ?")))
                .isEqualTo(Duration.ofMinutes(15));
    }
}

package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void each_consecutive_failure_doubles_the_pause_from_one_period_up_to_a_minute() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            backoff.failed(T0);
        }
        assertThat(backoff.failed(T0)).as("no overflow after many failures").isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void cycles_are_skipped_until_the_pause_is_over() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5));
        assertThat(backoff.allows(T0)).isTrue();
        backoff.failed(T0);
        assertThat(backoff.allows(T0.plusSeconds(4))).isFalse();
        assertThat(backoff.allows(T0.plusSeconds(5))).isTrue();
    }

    @Test
    void a_successful_cycle_ends_the_back_off_and_resets_the_doubling() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5));
        backoff.failed(T0);
        backoff.failed(T0);
        backoff.succeeded();
        assertThat(backoff.allows(T0)).isTrue();
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(5));
    }
}

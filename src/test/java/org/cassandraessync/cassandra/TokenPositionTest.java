package org.cassandraessync.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Where a Cassandra reading stands, as a long cycle commits it and a later one reads it back. */
class TokenPositionTest {

    @Test
    void a_scans_and_a_sliced_reads_positions_read_back_as_written() {
        TokenPosition scan = TokenPosition.parse(TokenPosition.scan(-4611686018427387904L));
        assertThat(scan.isScan()).isTrue();
        assertThat(scan.tokens()).containsExactly(-4611686018427387904L);

        TokenPosition sliced = TokenPosition.parse(TokenPosition.sliced(1,
                new long[] {Long.MIN_VALUE, -7L, 42L, Long.MAX_VALUE}));
        assertThat(sliced.isScan()).isFalse();
        assertThat(sliced.range()).isEqualTo(1);
        assertThat(sliced.tokens()).containsExactly(Long.MIN_VALUE, -7L, 42L, Long.MAX_VALUE);
        assertThat(TokenPosition.parse(null)).isNull();
    }

    @Test
    void a_scans_share_is_its_tokens_place_on_the_ring_whatever_the_tables_size() {
        assertThat(TokenPosition.shareOfRing(TokenPosition.scan(Long.MIN_VALUE))).hasValueCloseTo(0.0, within(1e-9));
        assertThat(TokenPosition.shareOfRing(TokenPosition.scan(0))).hasValueCloseTo(0.5, within(1e-9));
        assertThat(TokenPosition.shareOfRing(TokenPosition.scan(-4611686018427387904L)))
                .hasValueCloseTo(0.25, within(1e-9));
        assertThat(TokenPosition.shareOfRing(TokenPosition.scan(Long.MAX_VALUE))).hasValueCloseTo(1.0, within(1e-9));
        assertThat(TokenPosition.shareOfRing(TokenPosition.sliced(0, new long[] {1, 2}))).as("not a scan").isEmpty();
    }

    @Test
    void a_position_another_reader_gave_is_refused_with_what_it_is() {
        assertThatThrownBy(() -> TokenPosition.parse("2026-12-07T22:05:18.212Z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a position of a Cassandra reading: '2026-12-07T22:05:18.212Z'");
        assertThatThrownBy(() -> TokenPosition.parse("token soon")).isInstanceOf(IllegalArgumentException.class);
    }
}

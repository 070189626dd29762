package org.cassandraessync.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.datastax.oss.driver.api.core.type.DataTypes;
import org.junit.jupiter.api.Test;

/** The value conversion between JSON (what both stores' records carry) and the driver's CQL values. */
class CqlJsonValuesTest {

    @Test
    void a_decimal_keeps_its_exact_digits_both_ways() {
        Object value = CqlJsonValues.fromJson(DataTypes.DECIMAL, new BigDecimal("19.90"));
        assertThat(value).isEqualTo(new BigDecimal("19.90"));
        assertThat(CqlJsonValues.toJson(value)).isEqualTo(new BigDecimal("19.90"));
    }

    @Test
    void integers_that_do_not_fit_the_column_are_misfits_with_the_reason() {
        assertThat(CqlJsonValues.misfit(DataTypes.INT, 7)).isNull();
        assertThat(CqlJsonValues.misfit(DataTypes.INT, new BigDecimal("12.5"))).isNotNull();
        assertThat(CqlJsonValues.misfit(DataTypes.TINYINT, 300)).isNotNull();
        assertThat(CqlJsonValues.misfit(DataTypes.INT, "many")).isNotNull();
        assertThatThrownBy(() -> CqlJsonValues.fromJson(DataTypes.INT, "many")).hasMessageContaining("int");
    }

    @Test
    void a_timestamp_string_in_any_offset_reads_as_the_same_instant_and_writes_back_in_the_one_form() {
        Object value = CqlJsonValues.fromJson(DataTypes.TIMESTAMP, "2026-12-01T13:00:00.5+01:00");
        assertThat(value).isEqualTo(Instant.parse("2026-12-01T12:00:00.500Z"));
        assertThat(CqlJsonValues.toJson(value)).isEqualTo("2026-12-01T12:00:00.500Z");
    }

    @Test
    void collections_convert_element_by_element() {
        assertThat(CqlJsonValues.fromJson(DataTypes.setOf(DataTypes.TEXT), List.of("a", "b")))
                .isEqualTo(Set.of("a", "b"));
        assertThat(CqlJsonValues.fromJson(DataTypes.listOf(DataTypes.INT), List.of(1, 2)))
                .isEqualTo(List.of(1, 2));
        assertThat(CqlJsonValues.fromJson(DataTypes.mapOf(DataTypes.TEXT, DataTypes.BIGINT), Map.of("k", 5)))
                .isEqualTo(Map.of("k", 5L));
        assertThat(CqlJsonValues.misfit(DataTypes.setOf(DataTypes.TEXT), List.of("a", "a")))
                .as("a duplicate would be lost in a set").isNotNull();
    }

    @Test
    void uuids_and_addresses_come_back_as_their_canonical_strings() throws Exception {
        UUID id = UUID.randomUUID();
        assertThat(CqlJsonValues.fromJson(DataTypes.UUID, id.toString().toUpperCase())).isEqualTo(id);
        assertThat(CqlJsonValues.toJson(CqlJsonValues.fromJson(DataTypes.INET, "10.0.0.1")))
                .isEqualTo(InetAddress.getByName("10.0.0.1").getHostAddress());
    }

    @Test
    void null_fits_every_column() {
        assertThat(CqlJsonValues.misfit(DataTypes.INT, null)).isNull();
        assertThat(CqlJsonValues.fromJson(DataTypes.TEXT, null)).isNull();
    }
}

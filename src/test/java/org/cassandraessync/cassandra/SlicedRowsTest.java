package org.cassandraessync.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SlicedRowsTest {

    @Test
    void the_slices_of_the_ring_follow_each_other_without_gap_or_overlap_from_the_first_token_to_the_last() {
        for (int slices : new int[] {1, 2, 3, 4, 7, 16}) {
            List<long[]> ring = SlicedRows.ring(slices);
            assertThat(ring).as("%d slices", slices).hasSize(slices);
            assertThat(ring.get(0)[0]).isEqualTo(Long.MIN_VALUE);
            assertThat(ring.get(slices - 1)[1]).isEqualTo(Long.MAX_VALUE);
            for (int i = 0; i < slices; i++) {
                assertThat(ring.get(i)[0]).as("slice %d of %d", i, slices).isLessThan(ring.get(i)[1]);
                if (i > 0) {
                    assertThat(ring.get(i)[0]).as("slice %d starts where %d ends", i, i - 1)
                            .isEqualTo(ring.get(i - 1)[1]);
                }
            }
        }
    }
}

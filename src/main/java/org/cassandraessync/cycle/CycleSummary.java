package org.cassandraessync.cycle;

import java.util.EnumMap;
import java.util.Map;

import org.cassandraessync.record.Side;

/**
 * What one cycle did (or, as totals, every cycle since start): the records read from each side
 * and written to each side. {@code unchanged} counts records read that both stores already held
 * in the same version (nothing written: this is where echoes would show); {@code conflicts}
 * counts writes refused because the target changed after it was read (retried next cycle);
 * {@code rejected} counts records sent to the dead letters.
 */
public record CycleSummary(long cycle, Map<Side, Long> read, Map<Side, Long> written, long unchanged,
        long conflicts, long rejected, long millis, boolean failed) {

    public CycleSummary {
        read = complete(read);
        written = complete(written);
    }

    /** Records read from {@code side}. */
    public long readFrom(Side side) {
        return read.get(side);
    }

    /** Records written to {@code side}. */
    public long writtenTo(Side side) {
        return written.get(side);
    }

    /** Records written to either store. */
    public long writtenInAll() {
        return written.values().stream().mapToLong(Long::longValue).sum();
    }

    public long readCassandra() {
        return readFrom(Side.CASSANDRA);
    }

    public long readElasticsearch() {
        return readFrom(Side.ELASTICSEARCH);
    }

    public long writtenCassandra() {
        return writtenTo(Side.CASSANDRA);
    }

    public long writtenElasticsearch() {
        return writtenTo(Side.ELASTICSEARCH);
    }

    /** Every side present (0 when a count is missing), unmodifiable. */
    private static Map<Side, Long> complete(Map<Side, Long> counts) {
        Map<Side, Long> all = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            all.put(side, counts == null ? 0L : counts.getOrDefault(side, 0L));
        }
        return java.util.Collections.unmodifiableMap(all);
    }
}

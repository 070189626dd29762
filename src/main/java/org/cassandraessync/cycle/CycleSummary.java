package org.cassandraessync.cycle;

/**
 * What one cycle did (or, as totals, every cycle since start). {@code unchanged} counts records
 * read that both stores already held in the same version (nothing written: this is where echoes
 * would show); {@code conflicts} counts writes refused because the target changed after it was
 * read (retried next cycle); {@code rejected} counts records sent to the dead letters.
 */
public record CycleSummary(long cycle, long readCassandra, long writtenElasticsearch, long readElasticsearch,
        long writtenCassandra, long unchanged, long conflicts, long rejected, long millis, boolean failed) {
}

package org.cassandraessync.record;

/**
 * The sync's one decision, used by the cycle's aggregation, {@code verify}, {@code dry-run} and
 * {@code --repair}: of two versions of a record, the one with the newest {@code last_modified}
 * wins; equal timestamps are settled by the tie-breaker side ({@code sync.tie-breaker}). An
 * unreadable copy carries {@link java.time.Instant#MIN}, so any readable one wins over it.
 */
public final class NewestWins {

    private NewestWins() {
    }

    public static SyncRecord winner(SyncRecord a, SyncRecord b, Side tieBreaker) {
        int byTime = a.lastModified().compareTo(b.lastModified());
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        return a.side() == tieBreaker ? a : b;
    }
}

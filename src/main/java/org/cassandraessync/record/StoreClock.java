package org.cassandraessync.record;

import java.time.Duration;
import java.time.Instant;

/**
 * A store's clock against this host's: the store's time, read by a request sent at {@code before}
 * and answered at {@code after} (host times).
 */
public record StoreClock(Instant before, Instant store, Instant after) {

    /** Store minus host, taking the host's time at the middle of the round trip. */
    public Duration difference() {
        return Duration.between(before.plus(Duration.between(before, after).dividedBy(2)), store);
    }

    /** Half the round trip: how far off {@link #difference()} may be. */
    public Duration uncertainty() {
        return Duration.between(before, after).dividedBy(2);
    }
}

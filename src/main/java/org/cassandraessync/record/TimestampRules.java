package org.cassandraessync.record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;


/** The one rule both stores' records obey: a {@code last_modified} may not lie beyond the clock skew. */
public final class TimestampRules {

    private TimestampRules() {
    }

    /** A rejection reason, or null when {@code lastModified} is acceptable. */
    public static String tooFarInFuture(Instant lastModified, Clock clock, Duration maxClockSkew, String field) {
        Instant limit = clock.instant().plus(maxClockSkew);
        return lastModified.isAfter(limit)
                ? field + " " + Timestamps.format(lastModified) + " is more than " + maxClockSkew.toMillis() / 1000.0
                        + " s in the future (sync.max-clock-skew)"
                : null;
    }
}

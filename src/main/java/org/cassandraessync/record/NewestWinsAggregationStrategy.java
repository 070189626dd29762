package org.cassandraessync.record;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregates the versions of one record (correlated by id) read from both stores: the body becomes
 * the version with the newest {@code last_modified}. Equal timestamps with different content are
 * settled by the configured tie-breaker side. The exchange property {@link #IN_SYNC} tells whether
 * both stores already hold the winning version, in which case nothing needs to be written.
 */
public class NewestWinsAggregationStrategy implements AggregationStrategy {

    /** Exchange property: true when both sides hold the same version (nothing to write). */
    public static final String IN_SYNC = "syncInSync";

    private final Side tieBreaker;

    public NewestWinsAggregationStrategy(Side tieBreaker) {
        this.tieBreaker = tieBreaker;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            newExchange.setProperty(IN_SYNC, false);
            return newExchange;
        }
        SyncRecord a = oldExchange.getMessage().getBody(SyncRecord.class);
        SyncRecord b = newExchange.getMessage().getBody(SyncRecord.class);
        if (a.side() == b.side()) {
            // the same record read twice from one store (e.g. by overlapping pages): keep the newest
            oldExchange.getMessage().setBody(newest(a, b));
            return oldExchange;
        }
        oldExchange.getMessage().setBody(newest(a, b));
        oldExchange.setProperty(IN_SYNC, a.sameVersionAs(b));
        return oldExchange;
    }

    SyncRecord newest(SyncRecord a, SyncRecord b) {
        int byTime = a.lastModified().compareTo(b.lastModified());
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        return a.side() == tieBreaker ? a : b;
    }
}

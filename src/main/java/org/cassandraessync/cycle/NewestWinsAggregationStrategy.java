package org.cassandraessync.cycle;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;

/**
 * Aggregates the versions of one record (correlated by id) read from both stores: the body becomes
 * the version with the newest {@code last_modified}. Equal timestamps with different content are
 * settled by the configured tie-breaker side. The exchange property {@link #IN_SYNC} tells whether
 * both stores already hold the winning version, in which case nothing needs to be written;
 * {@link #REPLACING} holds the losing copy (the one the winner will overwrite), or nothing when the
 * other store does not have the record. It also tells {@link DecisionsInFlight} which records
 * are waiting and which are decided, so that the cycle knows when every decision is through.
 */
public class NewestWinsAggregationStrategy implements AggregationStrategy {

    /** Exchange property: true when both sides hold the same version (nothing to write). */
    public static final String IN_SYNC = "syncInSync";
    /** Exchange property: the other store's copy that the winner replaces. */
    public static final String REPLACING = "syncReplacing";

    private volatile Side tieBreaker = Side.CASSANDRA;
    private final DecisionsInFlight decisions = new DecisionsInFlight();

    /** For the route template's bean section; the pair sets the tie-breaker. */
    public NewestWinsAggregationStrategy() {
    }

    public NewestWinsAggregationStrategy(Side tieBreaker) {
        this.tieBreaker = tieBreaker;
    }

    public void setTieBreaker(Side tieBreaker) {
        this.tieBreaker = tieBreaker;
    }

    public DecisionsInFlight decisions() {
        return decisions;
    }

    /**
     * The correlation key: the record's id. (The route's {@code correlationExpression} calls this
     * bean method; {@code simple: ${body.id}} would resolve the method on each record instance
     * anew, which cost more than the whole aggregation.)
     */
    public java.util.UUID correlationKey(SyncRecord record) {
        return record.id();
    }

    /**
     * True when the winner was read from Cassandra (so it goes to Elasticsearch). The route's
     * {@code choice} calls this bean method: {@code simple: ${body.side} == 'CASSANDRA'} converted
     * the text to the enum through Camel's type-converter registry for every record (8% of the
     * daemon's CPU under load in a profile).
     */
    public boolean fromCassandra(SyncRecord winner) {
        return winner.side() == Side.CASSANDRA;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            decisions.opened();
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
        SyncRecord winner = newest(a, b);
        oldExchange.getMessage().setBody(winner);
        oldExchange.setProperty(REPLACING, winner == a ? b : a);
        oldExchange.setProperty(IN_SYNC, a.sameVersionAs(b));
        return oldExchange;
    }

    /** The group is complete (both copies, or the end of the page): the decision goes on its way. */
    @Override
    public void onCompletion(Exchange exchange) {
        decisions.released(exchange);
    }

    SyncRecord newest(SyncRecord a, SyncRecord b) {
        int byTime = a.lastModified().compareTo(b.lastModified());
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        return a.side() == tieBreaker ? a : b;
    }
}

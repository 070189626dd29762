package org.cassandraessync.cycle;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.cassandraessync.record.NewestWins;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;

/**
 * Aggregates the versions of one record (correlated by id) read from both stores: the body becomes
 * the version with the newest {@code last_modified}. Equal timestamps with different content are
 * settled by the configured tie-breaker side. The exchange property {@link #IN_SYNC} tells whether
 * both stores already hold the winning version, in which case nothing needs to be written;
 * {@link #REPLACING} holds the losing copy (the one the winner will overwrite), or nothing when the
 * other store does not have the record; {@link #FROM_CASSANDRA} whether the winner was read from
 * Cassandra (so it goes to Elasticsearch). It also tells {@link DecisionsInFlight} which records
 * are waiting and which are decided, so that the cycle knows when every decision is through.
 */
public class NewestWinsAggregationStrategy implements AggregationStrategy {

    /** Exchange property: true when both sides hold the same version (nothing to write). */
    public static final String IN_SYNC = "syncInSync";
    /** Exchange property: the other store's copy that the winner replaces. */
    public static final String REPLACING = "syncReplacing";
    /**
     * Exchange property: true when the winner was read from Cassandra, false when from Elasticsearch.
     * The route's {@code choice} reads it with {@code simple}; a {@code method} predicate would copy
     * the exchange for every record.
     */
    public static final String FROM_CASSANDRA = "syncFromCassandra";

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
     * The correlation key: the record's id. The shipped route uses {@link RecordId} (no exchange
     * copy per record); this method stays for templates that call it with {@code method}.
     */
    public java.util.UUID correlationKey(SyncRecord record) {
        return record.id();
    }

    /**
     * True when the winner was read from Cassandra (so it goes to Elasticsearch). The shipped route
     * reads {@link #FROM_CASSANDRA} instead; this method stays for templates that call it with
     * {@code method}.
     */
    public boolean fromCassandra(SyncRecord winner) {
        return winner.side() == Side.CASSANDRA;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            decisions.opened();
            newExchange.setProperty(IN_SYNC, false);
            newExchange.setProperty(FROM_CASSANDRA, fromCassandra(newExchange.getMessage().getBody(SyncRecord.class)));
            return newExchange;
        }
        SyncRecord a = oldExchange.getMessage().getBody(SyncRecord.class);
        SyncRecord b = newExchange.getMessage().getBody(SyncRecord.class);
        if (a.side() == b.side()) {
            // the same record read twice from one store (e.g. by overlapping pages): keep the newest
            SyncRecord newest = newest(a, b);
            oldExchange.getMessage().setBody(newest);
            oldExchange.setProperty(FROM_CASSANDRA, fromCassandra(newest));
            return oldExchange;
        }
        SyncRecord winner = newest(a, b);
        oldExchange.getMessage().setBody(winner);
        oldExchange.setProperty(REPLACING, winner == a ? b : a);
        oldExchange.setProperty(IN_SYNC, a.sameVersionAs(b));
        oldExchange.setProperty(FROM_CASSANDRA, fromCassandra(winner));
        return oldExchange;
    }

    /** The group is complete (both copies, or the end of the page): the decision goes on its way. */
    @Override
    public void onCompletion(Exchange exchange) {
        decisions.released(exchange);
    }

    SyncRecord newest(SyncRecord a, SyncRecord b) {
        return NewestWins.winner(a, b, tieBreaker);
    }
}

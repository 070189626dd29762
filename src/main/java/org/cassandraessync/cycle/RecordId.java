package org.cassandraessync.cycle;

import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;
import org.cassandraessync.record.SyncRecord;

/**
 * The correlation key of the newest-wins aggregation: the id of the record in the message body.
 * The route refers to it with the {@code ref} language, which calls it directly; a {@code method}
 * expression copies the whole exchange for every call, and {@code simple: ${body.id}} resolves the
 * method on each record anew: on a backfill either cost more than the aggregation itself.
 */
public class RecordId extends ExpressionAdapter {

    @Override
    public Object evaluate(Exchange exchange) {
        SyncRecord record = exchange.getMessage().getBody(SyncRecord.class);
        if (record == null) {
            throw new IllegalArgumentException("the newest-wins aggregation needs a record as the message body, got "
                    + exchange.getMessage().getBody());
        }
        return record.id().toString(); // the aggregation asks for a String key
    }

    @Override
    public String toString() {
        return "the record's id";
    }
}

package org.cassandraessync.record;

/**
 * A winning version to be written to the other store, with the copy it replaces there (null when
 * the other store does not have the record), whose stamp makes the write conditional.
 */
public record PendingWrite(SyncRecord record, SyncRecord replacing) {

    public Side target() {
        return record.side().opposite();
    }
}

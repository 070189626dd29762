package org.cassandraessync.record;

import java.time.Instant;

/**
 * The changes one cycle reads from one store: {@code last_modified > after} (every record when
 * {@code after} is null: first start, or state deleted). {@code until} is the cycle's start; the
 * checkpoint moves there once everything read has been processed.
 */
public record SyncWindow(Instant after, Instant until) {

    public boolean isFull() {
        return after == null;
    }
}

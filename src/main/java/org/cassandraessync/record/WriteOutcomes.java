package org.cassandraessync.record;

import java.util.concurrent.CompletableFuture;

/** What a store writer reports about the writes it was given. */
public interface WriteOutcomes {

    /** The write landed; {@code stamp} is the one the target store gave the new copy (null when unknown). */
    void written(PendingWrite write, SyncRecord.Stamp stamp);

    /** The target changed after it was read: the write was refused and the record is decided again later. */
    void conflict(PendingWrite write);

    /** Writes still running; the cycle waits for them before it reads the other side and before it commits. */
    void inFlight(CompletableFuture<?> writes);
}

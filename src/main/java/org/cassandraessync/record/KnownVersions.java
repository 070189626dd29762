package org.cassandraessync.record;

import java.util.UUID;

/**
 * Answers, from a copy's metadata only, whether it is a version already in sync on both stores:
 * a reader then does not even fetch its content.
 */
@FunctionalInterface
public interface KnownVersions {

    boolean alreadySynced(Side side, UUID id, long lastModifiedMillis, SyncRecord.Stamp stamp);

    /**
     * A reader fetched the content (not only the metadata) of {@code count} records of {@code side}:
     * what the read amplification counts.
     */
    default void fetched(Side side, int count) {
    }
}

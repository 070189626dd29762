package org.cassandraessync.record;

import java.util.OptionalDouble;

/**
 * A store's reader that can say where it stands in its own reading order, so that a long cycle can
 * commit its progress and a later reading of the same window go on from there
 * ({@link SideStore#changes(SyncWindow, KnownVersions, String)}): after a {@code kill -9}, a
 * restart or a failover. The position is the store's own (a Cassandra token, an Elasticsearch
 * timestamp), opaque to the engine, which only keeps it.
 */
public interface Positioned {

    /**
     * Where the last page handed out ends: a reading that goes on from here hands out every record
     * after it, and nothing before it (it may hand out some of that page again); null before the
     * first page.
     */
    String position();

    /**
     * About which share (0 to 1) of the whole reading lies before {@code position}, when the
     * position tells (a token's place on the ring does, whatever the table's size); empty when not.
     */
    default OptionalDouble shareBefore(String position) {
        return OptionalDouble.empty();
    }
}

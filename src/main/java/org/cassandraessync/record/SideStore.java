package org.cassandraessync.record;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One store of a pair as the engine drives it: its changes in a window, the copies of given ids,
 * the winners written to it, and the few questions a cycle asks. The store packages implement it
 * (Cassandra, Elasticsearch); the engine, {@code verify} and {@code dry-run} hold one per {@link Side}
 * and never ask which store it is.
 */
public interface SideStore {

    Side side();

    /**
     * Creates the table or index when it is missing and {@code sync.create-schema} allows it, or
     * checks that it exists: the first call of a pair, before anything is read or written.
     */
    void prepare();

    /** A cycle begins: work that the store's reads of this cycle need done first (may start it in the background). */
    default void cycleBegins() {
    }

    /** True when the store holds no record at all. */
    boolean isEmpty();

    /** About how many records {@code window} holds (progress lines); empty when not known cheaply. */
    OptionalLong estimate(SyncWindow window);

    /**
     * The changes in {@code window}, one page at a time; versions that {@code known} says are in
     * sync already are counted there and skipped, without their content being read.
     */
    Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known);

    /**
     * As {@link #changes(SyncWindow, KnownVersions)}, going on from {@code from}: a position a
     * reader of this store gave ({@link Positioned#position()}) while it read the same window, in
     * this process or another; null reads the window from its start. A reader that is
     * {@link Positioned} lets a long cycle commit its progress; a store whose readers are not is
     * never asked to go on.
     */
    default Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known, String from) {
        if (from != null) {
            throw new UnsupportedOperationException("the " + side().label() + " store cannot go on from a position");
        }
        return changes(window, known);
    }

    /**
     * The changes in {@code window} as up to {@code slices} readers that may run side by side and
     * together hand over each record once ({@code verify}); one reader unless the store can split.
     */
    default List<Iterator<List<SyncRecord>>> slices(SyncWindow window, KnownVersions known, int slices) {
        return List.of(changes(window, known));
    }

    /** This store's copies of {@code ids} (those it holds). */
    List<SyncRecord> find(Collection<UUID> ids);

    /** Writes the winners, each only if the copy it replaces is still the one there (conditional). */
    void write(List<PendingWrite> writes);

    /** What was just written becomes visible to the next read of this store. */
    default void afterWrites() {
    }

    /** Every record the store holds, counted cheaply, everything written so far included; empty when it cannot. */
    default OptionalLong countAll() {
        return OptionalLong.empty();
    }
}

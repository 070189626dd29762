package org.cassandraessync.cassandra;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SideStore;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;

/**
 * A pair's Cassandra table as the engine drives it: its window read in token ranges side by side,
 * look-ups by id, conditional writes (after {@code beforeWrite}, the schema evolution of fields
 * that exist only in Elasticsearch).
 */
public final class CassandraStore implements SideStore {

    private final Runnable prepare;
    private final CassandraChanges changes;
    private final CassandraLookup lookup;
    private final CassandraWriter writer;
    private final UnaryOperator<List<PendingWrite>> beforeWrite;

    /** {@code prepare} creates or checks the table ({@link CassandraSchema#ensure}). */
    public CassandraStore(Runnable prepare, CassandraChanges changes, CassandraLookup lookup, CassandraWriter writer,
            UnaryOperator<List<PendingWrite>> beforeWrite) {
        this.prepare = prepare;
        this.changes = changes;
        this.lookup = lookup;
        this.writer = writer;
        this.beforeWrite = beforeWrite;
    }

    @Override
    public Side side() {
        return Side.CASSANDRA;
    }

    @Override
    public void prepare() {
        prepare.run();
    }

    @Override
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    @Override
    public OptionalLong estimate(SyncWindow window) {
        return changes.estimate(window);
    }

    @Override
    public Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known) {
        return changes.pages(window, known);
    }

    @Override
    public Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known, String from) {
        return changes.pages(window, known, from);
    }

    /** The whole table in token ranges of about equal size; a narrower window is read as one. */
    @Override
    public List<Iterator<List<SyncRecord>>> slices(SyncWindow window, KnownVersions known, int slices) {
        return window.isFull() ? changes.slices(slices, known) : List.of(changes(window, known));
    }

    @Override
    public List<SyncRecord> find(Collection<UUID> ids) {
        return lookup.find(ids);
    }

    @Override
    public void write(List<PendingWrite> writes) {
        writer.write(beforeWrite.apply(writes));
    }
}

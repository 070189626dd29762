package org.cassandraessync.elasticsearch;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SideStore;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;

/**
 * A pair's Elasticsearch index as the engine drives it: a refresh started as the cycle begins (its
 * read then sees every version up to the cycle's start), the window read by point-in-time and
 * {@code search_after}, multi-get look-ups, conditional bulk writes.
 */
public final class ElasticsearchStore implements SideStore {

    private final Runnable prepare;
    private final Runnable beforeCycle;
    private final ElasticsearchChanges changes;
    private final ElasticsearchLookup lookup;
    private final ElasticsearchWriter writer;
    private final Executor readAhead;
    /** The refresh started with the cycle ({@link #cycleBegins}). */
    private volatile CompletableFuture<Void> searchable = CompletableFuture.completedFuture(null);

    /**
     * {@code prepare} creates or checks the index ({@link ElasticsearchIndex#ensure}); {@code beforeCycle}
     * runs as each cycle begins, before the refresh (the schema evolution's mappings of new columns).
     */
    public ElasticsearchStore(Runnable prepare, Runnable beforeCycle, ElasticsearchChanges changes,
            ElasticsearchLookup lookup, ElasticsearchWriter writer, Executor readAhead) {
        this.prepare = prepare;
        this.beforeCycle = beforeCycle;
        this.changes = changes;
        this.lookup = lookup;
        this.writer = writer;
        this.readAhead = readAhead;
    }

    @Override
    public Side side() {
        return Side.ELASTICSEARCH;
    }

    @Override
    public void prepare() {
        prepare.run();
    }

    /**
     * Makes what was indexed before the cycle's start searchable, while the other side is read (its
     * own writes of the other side need not be visible: they are known, see SyncedVersions).
     */
    @Override
    public void cycleBegins() {
        beforeCycle.run();
        searchable = CompletableFuture.runAsync(changes::refresh, readAhead);
    }

    @Override
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    @Override
    public OptionalLong estimate(SyncWindow window) {
        return OptionalLong.of(changes.count(window));
    }

    @Override
    public Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known) {
        return changes(window, known, null);
    }

    @Override
    public Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known, String from) {
        try {
            searchable.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return changes.pages(window, known, from);
    }

    @Override
    public List<SyncRecord> find(Collection<UUID> ids) {
        return lookup.find(ids);
    }

    @Override
    public void write(List<PendingWrite> writes) {
        writer.write(writes);
    }

    @Override
    public void afterWrites() {
        writer.refreshIfWritten();
    }

    /** Every document of the index, after a refresh; empty when the refresh is refused. */
    @Override
    public OptionalLong countAll() {
        return changes.countAll();
    }
}

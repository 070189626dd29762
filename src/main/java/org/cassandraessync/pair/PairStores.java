package org.cassandraessync.pair;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.cassandra.CassandraCheckpoints;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SideStore;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.state.CheckpointStore;
import org.cassandraessync.state.Checkpoints;

/**
 * One pair's two stores ({@link SideStore}, one per side), as the cycle and the checks use them:
 * each store read in the cycle's window of its side, the other store's copies of a page, the
 * winners written to their target. Opened when the pair's first cycle begins (or the first one
 * after a failure to open them); {@link #prepare} then creates or checks the table and the index,
 * so a store that is down at startup only fails cycles.
 */
final class PairStores {

    private final SyncCycle cycle;
    private final Map<Side, SideStore> stores = new EnumMap<>(Side.class);
    private final ExecutorService readAhead;

    PairStores(Map<Side, SideStore> stores, SyncCycle cycle, ExecutorService readAhead) {
        this.stores.putAll(stores);
        this.cycle = cycle;
        this.readAhead = readAhead;
        if (!this.stores.keySet().equals(java.util.EnumSet.allOf(Side.class))) {
            throw new IllegalArgumentException("a pair needs a store for each side, got " + this.stores.keySet());
        }
    }

    /** Creates or checks the table and the index: the pair's first step, before any read. */
    PairStores prepare() {
        stores.values().forEach(SideStore::prepare);
        return this;
    }

    /**
     * The pair's checkpoints: a file in {@code sync.state-dir}, or a row in Cassandra
     * ({@code sync.checkpoint-store}) that every instance reads, falling back to the file once.
     */
    static Checkpoints checkpoints(PairSettings pair, StoreClients clients, ObjectMapper json) {
        SyncSettings daemon = clients.settings();
        HighAvailability ha = daemon.ha();
        Checkpoints file = new CheckpointStore(daemon.stateDir(), pair.pair(), pair.legacyCheckpointName(), json,
                ha.instanceId());
        return ha.checkpointsInCassandra() ? new CassandraCheckpoints(clients::cassandra, pair.keyspace(),
                ha.checkpointTable(), pair.pair(), ha.instanceId(), file) : file;
    }

    SideStore store(Side side) {
        return stores.get(side);
    }

    /** True when {@code side} holds no record at all. */
    boolean isEmpty(Side side) {
        return store(side).isEmpty();
    }

    /** About how many records {@code side} holds in {@code window}, asked on another thread (progress lines). */
    CompletableFuture<OptionalLong> estimate(Side side, SyncWindow window) {
        return CompletableFuture.supplyAsync(() -> store(side).estimate(window), readAhead);
    }

    /** The cycle's windows are open: each store starts what its reads need first. */
    void cycleBegins() {
        stores.values().forEach(SideStore::cycleBegins);
    }

    Iterator<List<SyncRecord>> changes(Side side) {
        return changes(side, null);
    }

    /** The cycle's window of {@code side}, from {@code from} (a position its reader gave; null: from the start). */
    Iterator<List<SyncRecord>> changes(Side side, String from) {
        return store(side).changes(cycle.window(side), cycle, from);
    }

    /** The cycle's window of {@code side} as up to {@code slices} readers to run side by side ({@code verify}). */
    List<Iterator<List<SyncRecord>>> slices(Side side, int slices) {
        return store(side).slices(cycle.window(side), cycle, slices);
    }

    /**
     * The page followed by the other store's copies of its ids; none when the other store was
     * empty as this (first) cycle began.
     */
    List<SyncRecord> withCounterparts(List<SyncRecord> page) {
        if (page.isEmpty() || cycle.wasEmptyAtStart(page.get(0).side().opposite())) {
            return page;
        }
        Side other = page.get(0).side().opposite();
        List<UUID> ids = page.stream().map(SyncRecord::id).toList();
        cycle.lookedUp(other, ids.size());
        List<SyncRecord> both = new ArrayList<>(page.size() * 2);
        both.addAll(page);
        both.addAll(store(other).find(ids));
        return both;
    }

    void write(Side target, List<PendingWrite> writes) {
        store(target).write(writes);
    }

    /** What was just written to {@code target} becomes visible to its next read. */
    void afterWrites(Side target) {
        store(target).afterWrites();
    }
}

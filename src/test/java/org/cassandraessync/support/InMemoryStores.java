package org.cassandraessync.support;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.cassandraessync.config.PairSettings;
import org.cassandraessync.pair.StoreFactory;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SideStore;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.state.DeadLetters;

/**
 * Both stores of every pair held in memory, bound in place of Cassandra and Elasticsearch
 * ({@link StoreFactory#BEAN}): the engine, the route template and the pair run as in the daemon.
 */
public final class InMemoryStores implements StoreFactory {

    private final Map<String, Map<Side, InMemoryStore>> pairs = new ConcurrentHashMap<>();

    /** The store of {@code side} of the pair {@code pair} (created empty on first use). */
    public InMemoryStore of(String pair, Side side) {
        return pairs.computeIfAbsent(pair, p -> {
            Map<Side, InMemoryStore> both = new EnumMap<>(Side.class);
            for (Side s : Side.values()) {
                both.put(s, new InMemoryStore(s, 100));
            }
            return both;
        }).get(side);
    }

    public InMemoryStore cassandra() {
        return of("default", Side.CASSANDRA);
    }

    public InMemoryStore elasticsearch() {
        return of("default", Side.ELASTICSEARCH);
    }

    @Override
    public Map<Side, SideStore> open(PairSettings pair, WriteOutcomes outcomes, DeadLetters deadLetters,
            ExecutorService readAhead, ExecutorService writers) {
        Map<Side, SideStore> stores = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            InMemoryStore store = of(pair.pair(), side);
            store.connect(outcomes, deadLetters);
            stores.put(side, store);
        }
        return stores;
    }
}

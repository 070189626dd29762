package org.cassandraessync.pair;

import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.cassandraessync.config.PairSettings;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SideStore;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.state.DeadLetters;

/**
 * Opens the two stores of a pair. The daemon connects them to Cassandra and Elasticsearch
 * ({@link ConnectedStores}); a bean of this type bound in the Camel registry under {@value #BEAN}
 * takes its place for every pair of that context: the engine's tests bind stores held in memory.
 */
@FunctionalInterface
public interface StoreFactory {

    String BEAN = "syncStoreFactory";

    /**
     * Both stores of {@code pair}, not prepared yet (nothing is contacted here). Their writers report
     * each write to {@code outcomes}; records they cannot read or write go to {@code deadLetters};
     * they may read ahead on {@code readAhead} and send writes on {@code writers}.
     */
    Map<Side, SideStore> open(PairSettings pair, WriteOutcomes outcomes, DeadLetters deadLetters,
            ExecutorService readAhead, ExecutorService writers);
}

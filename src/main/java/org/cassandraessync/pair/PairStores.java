package org.cassandraessync.pair;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import com.datastax.oss.driver.api.core.CqlSession;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.cassandra.CassandraCheckpoints;
import org.cassandraessync.cassandra.CassandraChanges;
import org.cassandraessync.cassandra.CassandraLookup;
import org.cassandraessync.cassandra.CassandraRecordMapper;
import org.cassandraessync.cassandra.CassandraSchema;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.cassandra.CassandraWriter;
import org.cassandraessync.cassandra.RowLayout;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.config.StoreClients;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.elasticsearch.ElasticsearchChanges;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
import org.cassandraessync.elasticsearch.ElasticsearchLookup;
import org.cassandraessync.elasticsearch.ElasticsearchRecordMapper;
import org.cassandraessync.elasticsearch.ElasticsearchWriter;
import org.cassandraessync.elasticsearch.IndexMapping;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.schema.SchemaEvolution;
import org.cassandraessync.state.CheckpointStore;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.DeadLetters;

/**
 * One pair's readers, look-ups and writers of both stores, on the daemon's shared connections.
 * Built when the pair's first cycle begins (or the first one after a failure to build it): that is
 * when the table and the index are created or checked, so a store that is down at startup only
 * fails cycles.
 */
final class PairStores {

    /** Concurrent asynchronous writes to Cassandra: enough to fill a small cluster, bounded for memory. */
    static final int CASSANDRA_WRITES_IN_FLIGHT = 64;
    /** Bulk requests (one page each) being indexed while the cycle reads and decides the next page. */
    static final int ELASTICSEARCH_BULKS_IN_FLIGHT = 2;

    private final SyncCycle cycle;
    private final CassandraChanges cassandraChanges;
    private final ElasticsearchChanges elasticsearchChanges;
    private final CassandraLookup cassandraLookup;
    private final ElasticsearchLookup elasticsearchLookup;
    private final CassandraWriter cassandraWriter;
    private final ElasticsearchWriter elasticsearchWriter;
    private final SchemaEvolution schemaEvolution;
    private final ExecutorService readAhead;
    /** The refresh started with the cycle ({@link #refreshAhead}). */
    private volatile CompletableFuture<Void> searchable = CompletableFuture.completedFuture(null);

    PairStores(PairSettings pair, SyncSettings daemon, CqlSession cassandra, ElasticsearchClient elasticsearch,
            SyncCycle cycle, DeadLetters deadLetters, ObjectMapper json, ExecutorService readAhead,
            ExecutorService bulkSenders) {
        this.cycle = cycle;
        this.readAhead = readAhead;
        CassandraSchema.ensure(cassandra, pair.keyspace(), pair.table(), pair.idField(), pair.timestampField(),
                pair.createSchema(), daemon.cassandraReplicationFactor());
        ElasticsearchIndex.ensure(elasticsearch, pair.index(), pair.timestampField(), pair.createSchema());
        Clock clock = Clock.systemUTC();
        CassandraTable table = new CassandraTable(cassandra, pair.keyspace(), pair.table(), pair.timestampField());
        IndexMapping indexMapping = new IndexMapping(elasticsearch, pair.index());
        // a text column whose Elasticsearch field is an object (or another structured type) holds JSON
        RowLayout layout = new RowLayout(indexMapping::isStructured, json);
        CassandraRecordMapper cassandraMapper = new CassandraRecordMapper(pair.idField(), pair.timestampField(),
                layout, deadLetters, daemon.maxClockSkew(), clock);
        ElasticsearchRecordMapper elasticsearchMapper = new ElasticsearchRecordMapper(pair.idField(),
                pair.timestampField(), layout.canonicalForm(table), deadLetters, daemon.maxClockSkew(), clock);
        cassandraLookup = new CassandraLookup(cassandra, table, cassandraMapper, pair.idField());
        cassandraChanges = new CassandraChanges(cassandra, table, cassandraMapper, cassandraLookup, readAhead,
                pair.idField(), pair.timestampField(), pair.batchSize(), daemon.maxClockSkew());
        elasticsearchLookup = new ElasticsearchLookup(elasticsearch, elasticsearchMapper, pair.index());
        elasticsearchChanges = new ElasticsearchChanges(elasticsearch, elasticsearchLookup, elasticsearchMapper,
                readAhead, pair.index(), pair.timestampField(), pair.batchSize(), daemon.maxClockSkew());
        elasticsearchWriter = new ElasticsearchWriter(elasticsearch, json, elasticsearchMapper, cycle, deadLetters,
                pair.index(), bulkSenders, ELASTICSEARCH_BULKS_IN_FLIGHT);
        schemaEvolution = new SchemaEvolution(cassandra, table, elasticsearch, pair.index(), indexMapping, layout,
                Set.of(pair.idField(), pair.timestampField()), pair.schemaEvolution(), deadLetters);
        cassandraWriter = new CassandraWriter(cassandra, table, cassandraMapper, layout, cycle, deadLetters,
                CASSANDRA_WRITES_IN_FLIGHT, pair.lightweightTransactions(), pair.idField(), pair.timestampField());
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

    /** True when {@code side} holds no record at all. */
    boolean isEmpty(Side side) {
        return side == Side.CASSANDRA ? cassandraChanges.isEmpty() : elasticsearchChanges.isEmpty();
    }

    /** About how many records {@code side} holds in {@code window}, asked on another thread (progress lines). */
    CompletableFuture<OptionalLong> estimate(Side side, SyncWindow window) {
        return CompletableFuture.supplyAsync(() -> side == Side.CASSANDRA ? cassandraChanges.estimate(window)
                : OptionalLong.of(elasticsearchChanges.count(window)), readAhead);
    }

    /** Columns that exist only in Cassandra get an explicit Elasticsearch mapping. */
    void mapCassandraColumns() {
        schemaEvolution.mapCassandraColumns();
    }

    /**
     * Makes what was indexed before the cycle's start searchable, while the Cassandra side is read:
     * the Elasticsearch side's read then sees every version up to the cycle's start (its own
     * writes of the Cassandra side need not be visible: they are known, see SyncedVersions).
     */
    void refreshAhead() {
        searchable = CompletableFuture.runAsync(elasticsearchChanges::refresh, readAhead);
    }

    Iterator<List<SyncRecord>> changes(Side side) {
        if (side == Side.CASSANDRA) {
            return cassandraChanges.pages(cycle.window(side), cycle);
        }
        try {
            searchable.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return elasticsearchChanges.pages(cycle.window(side), cycle);
    }

    /** The whole Cassandra table as {@code slices} token ranges, to be read side by side ({@code verify}). */
    List<Iterator<List<SyncRecord>>> cassandraSlices(int slices) {
        return cassandraChanges.slices(slices, cycle);
    }

    /** Every document of the index, after a refresh; empty when the refresh is refused. */
    OptionalLong countAllDocuments() {
        return elasticsearchChanges.countAll();
    }

    /**
     * The page followed by the other store's copies of its ids; none when the other store was
     * empty as this (first) cycle began.
     */
    List<SyncRecord> withCounterparts(List<SyncRecord> page) {
        if (page.isEmpty() || cycle.wasEmptyAtStart(page.get(0).side().opposite())) {
            return page;
        }
        List<UUID> ids = page.stream().map(SyncRecord::id).toList();
        cycle.lookedUp(page.get(0).side().opposite(), ids.size());
        List<SyncRecord> both = new ArrayList<>(page.size() * 2);
        both.addAll(page);
        both.addAll(page.get(0).side() == Side.CASSANDRA ? elasticsearchLookup.find(ids) : cassandraLookup.find(ids));
        return both;
    }

    void write(Side target, List<PendingWrite> writes) {
        if (target == Side.ELASTICSEARCH) {
            elasticsearchWriter.write(writes);
        } else {
            // fields that exist only in Elasticsearch: new columns, dropped, or dead letters
            cassandraWriter.write(schemaEvolution.prepareForCassandra(writes));
        }
    }

    /** What was just indexed becomes searchable: the next read of Elasticsearch sees it as it is now. */
    void refreshIfWritten() {
        elasticsearchWriter.refreshIfWritten();
    }
}

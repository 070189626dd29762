package org.cassandraessync.pair;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.cassandra.CassandraChanges;
import org.cassandraessync.cassandra.CassandraLookup;
import org.cassandraessync.cassandra.CassandraRecordMapper;
import org.cassandraessync.cassandra.CassandraSchema;
import org.cassandraessync.cassandra.CassandraStore;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.cassandra.CassandraWriter;
import org.cassandraessync.cassandra.RowLayout;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.elasticsearch.ElasticsearchChanges;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
import org.cassandraessync.elasticsearch.ElasticsearchLookup;
import org.cassandraessync.elasticsearch.ElasticsearchRecordMapper;
import org.cassandraessync.elasticsearch.ElasticsearchStore;
import org.cassandraessync.elasticsearch.ElasticsearchWriter;
import org.cassandraessync.elasticsearch.IndexMapping;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SideStore;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.schema.SchemaEvolution;
import org.cassandraessync.state.DeadLetters;

/**
 * The daemon's stores: a pair's Cassandra table and Elasticsearch index on the shared connections,
 * with the schema evolution between them (a text column holds JSON where the field is an object;
 * a column or field that exists on one side only is added to the other).
 */
final class ConnectedStores implements StoreFactory {

    /** Concurrent asynchronous writes to Cassandra: enough to fill a small cluster, bounded for memory. */
    static final int CASSANDRA_WRITES_IN_FLIGHT = 64;
    /** Bulk requests (one page each) being indexed while the cycle reads and decides the next page. */
    static final int ELASTICSEARCH_BULKS_IN_FLIGHT = 2;

    private final StoreClients clients;
    private final ObjectMapper json;

    ConnectedStores(StoreClients clients, ObjectMapper json) {
        this.clients = clients;
        this.json = json;
    }

    @Override
    public Map<Side, SideStore> open(PairSettings pair, WriteOutcomes outcomes, DeadLetters deadLetters,
            ExecutorService readAhead, ExecutorService writers) {
        SyncSettings daemon = clients.settings();
        CqlSession cassandra = clients.cassandra();
        ElasticsearchClient elasticsearch = clients.elasticsearch();
        Map<Side, SideStore> stores = new EnumMap<>(Side.class);
        Clock clock = Clock.systemUTC();
        CassandraTable table = new CassandraTable(cassandra, pair.keyspace(), pair.table(), pair.timestampField());
        IndexMapping indexMapping = new IndexMapping(elasticsearch, pair.index());
        // a text column whose Elasticsearch field is an object (or another structured type) holds JSON
        RowLayout layout = new RowLayout(indexMapping::isStructured, json);
        CassandraRecordMapper cassandraMapper = new CassandraRecordMapper(pair.idField(), pair.timestampField(),
                layout, deadLetters, daemon.maxClockSkew(), clock);
        ElasticsearchRecordMapper elasticsearchMapper = new ElasticsearchRecordMapper(pair.idField(),
                pair.timestampField(), layout.canonicalForm(table), deadLetters, daemon.maxClockSkew(), clock);
        SchemaEvolution schemaEvolution = new SchemaEvolution(cassandra, table, elasticsearch, pair.index(),
                indexMapping, layout, Set.of(pair.idField(), pair.timestampField()), pair.schemaEvolution(),
                deadLetters);

        CassandraLookup cassandraLookup = new CassandraLookup(cassandra, table, cassandraMapper, pair.idField());
        stores.put(Side.CASSANDRA, new CassandraStore(
                () -> CassandraSchema.ensure(cassandra, pair.keyspace(), pair.table(), pair.idField(),
                        pair.timestampField(), pair.createSchema(), daemon.cassandraReplicationFactor()),
                new CassandraChanges(cassandra, table, cassandraMapper, cassandraLookup, readAhead, pair.idField(),
                        pair.timestampField(), pair.batchSize(), daemon.maxClockSkew()),
                cassandraLookup,
                new CassandraWriter(cassandra, table, cassandraMapper, layout, outcomes, deadLetters,
                        CASSANDRA_WRITES_IN_FLIGHT, pair.lightweightTransactions(), pair.idField(),
                        pair.timestampField()),
                // fields that exist only in Elasticsearch: new columns, dropped, or dead letters
                schemaEvolution::prepareForCassandra));

        ElasticsearchLookup elasticsearchLookup = new ElasticsearchLookup(elasticsearch, elasticsearchMapper,
                pair.index());
        stores.put(Side.ELASTICSEARCH, new ElasticsearchStore(
                () -> ElasticsearchIndex.ensure(elasticsearch, pair.index(), pair.timestampField(), pair.createSchema()),
                // columns that exist only in Cassandra get an explicit Elasticsearch mapping
                schemaEvolution::mapCassandraColumns,
                new ElasticsearchChanges(elasticsearch, elasticsearchLookup, elasticsearchMapper, readAhead,
                        pair.index(), pair.timestampField(), pair.batchSize(), daemon.maxClockSkew()),
                elasticsearchLookup,
                new ElasticsearchWriter(elasticsearch, json, elasticsearchMapper, outcomes, deadLetters, pair.index(),
                        writers, ELASTICSEARCH_BULKS_IN_FLIGHT),
                readAhead));
        return stores;
    }
}

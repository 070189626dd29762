package org.cassandraessync.config;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.es.ElasticsearchComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.cassandraessync.cassandra.CassandraChanges;
import org.cassandraessync.cassandra.CassandraLookup;
import org.cassandraessync.cassandra.CassandraRecordMapper;
import org.cassandraessync.cassandra.CassandraSchema;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.cassandra.CassandraWriter;
import org.cassandraessync.cassandra.RowLayout;
import org.cassandraessync.elasticsearch.IndexMapping;
import org.cassandraessync.cycle.Counterparts;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.elasticsearch.ElasticsearchChanges;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
import org.cassandraessync.elasticsearch.ElasticsearchLookup;
import org.cassandraessync.elasticsearch.ElasticsearchRecordMapper;
import org.cassandraessync.elasticsearch.ElasticsearchWriter;
import org.cassandraessync.record.Json;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.NewestWinsAggregationStrategy;
import org.cassandraessync.schema.SchemaEvolution;
import org.cassandraessync.state.CheckpointStore;
import org.cassandraessync.state.DeadLetters;

/**
 * Wires the daemon before the routes are built: validates the {@code sync.*} settings (failing
 * startup with the offending keys), connects to both stores, creates what is missing, and binds
 * the beans the YAML routes refer to by name.
 */
public class SyncConfiguration implements CamelConfiguration {

    /**
     * Derived from {@code sync.cron} or {@code sync.period}: the trigger options of the Quartz
     * endpoint (its repeat interval counts in milliseconds, its cron spells spaces as '+').
     */
    public static final String SCHEDULE = "sync.schedule";

    /** Concurrent asynchronous writes to Cassandra: enough to fill a small cluster, bounded for memory. */
    static final int CASSANDRA_WRITES_IN_FLIGHT = 64;
    /** Bulk requests (one page each) being indexed while the cycle reads and decides the next page. */
    static final int ELASTICSEARCH_BULKS_IN_FLIGHT = 2;

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        SyncSettings settings = SyncSettings.from(properties::resolveProperty);
        properties.addOverrideProperty(SCHEDULE, settings.cron()
                .map(cron -> "cron=" + cron.trim().replaceAll("\\s+", "+"))
                .orElse("trigger.repeatInterval=" + settings.period().toMillis() + "&trigger.repeatCount=-1"));

        StoreClients clients = StoreClients.connect(settings);
        try {
            context.addService(clients, true, true);
            CassandraSchema.ensure(clients.cassandra(), settings);
            ElasticsearchIndex.ensure(clients.elasticsearch(), settings);
        } catch (Exception e) {
            clients.stop();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        // the routes call both stores through beans (see README); integrators' own cql:/elasticsearch:
        // endpoints share the same connections: cql:bean:cassandraSession and this client
        context.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(clients.elasticsearchRest());

        ObjectMapper json = Json.newMapper();
        Clock clock = Clock.systemUTC();
        DeadLetters deadLetters = new DeadLetters(settings.stateDir(), json);
        CheckpointStore checkpoints = new CheckpointStore(settings.stateDir(),
                settings.cassandraKeyspace() + "." + settings.cassandraTable() + "-" + settings.elasticsearchIndex(), json);
        SyncCycle cycle = new SyncCycle(checkpoints, deadLetters, settings.overlap(), settings.period(), clock);
        CassandraTable table = new CassandraTable(clients.cassandra(), settings.cassandraKeyspace(),
                settings.cassandraTable(), settings.timestampField());
        IndexMapping indexMapping = new IndexMapping(clients.elasticsearch(), settings.elasticsearchIndex());
        // a text column whose Elasticsearch field is an object (or another structured type) holds JSON
        RowLayout layout = new RowLayout(indexMapping::isStructured, json);
        CassandraRecordMapper cassandraMapper = new CassandraRecordMapper(settings.idField(), settings.timestampField(),
                layout, deadLetters, settings.maxClockSkew(), clock);
        ElasticsearchRecordMapper elasticsearchMapper = new ElasticsearchRecordMapper(settings.idField(),
                settings.timestampField(), table, layout, deadLetters, settings.maxClockSkew(), clock);

        Registry registry = context.getRegistry();
        registry.bind("syncSettings", settings);
        registry.bind("syncCycle", cycle);
        registry.bind("deadLetters", deadLetters);
        CassandraLookup cassandraLookup = new CassandraLookup(clients.cassandra(), table, cassandraMapper,
                settings.idField());
        CassandraChanges cassandraChanges = new CassandraChanges(clients.cassandra(), table, cassandraMapper,
                cassandraLookup, cycle, settings.idField(), settings.timestampField(), settings.batchSize());
        registry.bind("cassandraChanges", cassandraChanges);
        cycle.emptyWhen(Side.CASSANDRA, cassandraChanges::isEmpty);
        ElasticsearchLookup elasticsearchLookup = new ElasticsearchLookup(clients.elasticsearch(), elasticsearchMapper,
                settings.elasticsearchIndex());
        ElasticsearchChanges elasticsearchChanges = new ElasticsearchChanges(clients.elasticsearch(),
                elasticsearchLookup, elasticsearchMapper, cycle, settings.elasticsearchIndex(), settings.timestampField(),
                settings.batchSize());
        registry.bind("elasticsearchChanges", elasticsearchChanges);
        cycle.emptyWhen(Side.ELASTICSEARCH, elasticsearchChanges::isEmpty);
        registry.bind("counterparts", new Counterparts(
                cassandraLookup, elasticsearchLookup, cycle));
        registry.bind("newestWins", new NewestWinsAggregationStrategy(settings.tieBreaker()));
        registry.bind("elasticsearchWriter", new ElasticsearchWriter(clients.elasticsearch(), json, elasticsearchMapper, cycle,
                deadLetters, settings.elasticsearchIndex(), context.getExecutorServiceManager()
                        .newFixedThreadPool(this, "elasticsearch-bulk", ELASTICSEARCH_BULKS_IN_FLIGHT),
                ELASTICSEARCH_BULKS_IN_FLIGHT));
        registry.bind("schemaEvolution", new SchemaEvolution(clients.cassandra(), table, clients.elasticsearch(),
                settings.elasticsearchIndex(), indexMapping, layout,
                java.util.Set.of(settings.idField(), settings.timestampField()),
                settings.cassandraSchemaEvolution(), deadLetters));
        registry.bind("cassandraWriter", new CassandraWriter(clients.cassandra(), table, cassandraMapper, layout, cycle,
                deadLetters, CASSANDRA_WRITES_IN_FLIGHT, settings.cassandraLightweightTransactions(),
                settings.idField(), settings.timestampField()));
    }
}

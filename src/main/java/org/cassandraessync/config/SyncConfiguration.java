package org.cassandraessync.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.es.ElasticsearchComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.cassandraessync.cassandra.CassandraRecordMapper;
import org.cassandraessync.cassandra.CassandraSchema;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
import org.cassandraessync.elasticsearch.ElasticsearchRecordMapper;
import org.cassandraessync.record.NewestWinsAggregationStrategy;

/**
 * Wires the daemon before the routes are built: validates the {@code sync.*} settings (failing
 * startup with the offending keys), connects to both stores, creates what is missing, and binds
 * the beans the YAML routes refer to by name.
 */
public class SyncConfiguration implements CamelConfiguration {

    /** Derived from {@code sync.period} for the Quartz trigger, which counts in milliseconds. */
    public static final String PERIOD_MILLIS = "sync.period-millis";

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        SyncSettings settings = SyncSettings.from(properties::resolveProperty);
        properties.addOverrideProperty(PERIOD_MILLIS, Long.toString(settings.period().toMillis()));

        StoreClients clients = StoreClients.connect(settings);
        try {
            context.addService(clients, true, true);
            CassandraSchema.ensure(clients.cassandra(), settings);
            ElasticsearchIndex.ensure(clients.elasticsearch(), settings);
        } catch (Exception e) {
            clients.stop();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        context.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(clients.elasticsearchRest());

        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        Registry registry = context.getRegistry();
        registry.bind("syncSettings", settings);
        registry.bind("cassandraSession", clients.cassandra());
        registry.bind("elasticsearchClient", clients.elasticsearch());
        registry.bind("cassandraRecordMapper",
                new CassandraRecordMapper(settings.idField(), settings.timestampField(), json));
        registry.bind("elasticsearchRecordMapper",
                new ElasticsearchRecordMapper(settings.idField(), settings.timestampField(), json));
        registry.bind("newestWins", new NewestWinsAggregationStrategy(settings.tieBreaker()));
        // The aggregator hands completed groups to its own thread by default; the cycle must see
        // every planned write before it drains them, so completion runs in the caller's thread.
        registry.bind("callerThread", new SynchronousExecutorService());
        registry.bind("syncCycle", new SyncCycle());
    }
}

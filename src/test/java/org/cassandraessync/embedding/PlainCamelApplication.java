package org.cassandraessync.embedding;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;

/**
 * Another team's Camel application that embeds the sync: its own {@link DefaultCamelContext} (no
 * camel-main, no {@code SyncApplication}), the template loaded from the jar's classpath, its
 * connection settings given as properties, and its pairs added with Camel's own
 * {@link TemplatedRouteBuilder}.
 */
public final class PlainCamelApplication implements AutoCloseable {

    private final CamelContext context = new DefaultCamelContext();

    public PlainCamelApplication(Map<String, String> syncProperties) throws Exception {
        Properties properties = new Properties();
        properties.putAll(syncProperties);
        context.getPropertiesComponent().setInitialProperties(properties);
        PluginHelper.getRoutesLoader(context).loadRoutes(
                PluginHelper.getResourceLoader(context).resolveResource("classpath:routes/cassandra-es-sync.yaml"));
    }

    /** One more table ↔ index pair, as any route template instance. */
    public void addPair(String pair, String keyspace, String table, String index) {
        TemplatedRouteBuilder.builder(context, "cassandra-es-sync")
                .routeId("sync-" + pair)
                .parameter("pair", pair)
                .parameter("keyspace", keyspace)
                .parameter("table", table)
                .parameter("index", index)
                .parameter("period", "500ms")
                .add();
    }

    public CamelContext start() {
        context.start();
        return context;
    }

    @Override
    public void close() throws Exception {
        context.close();
    }
}

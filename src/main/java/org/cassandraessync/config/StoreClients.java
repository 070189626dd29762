package org.cassandraessync.config;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The connections to both stores, shared by every pair of the daemon (one per Camel context, in
 * its registry as {@value #BEAN}). They open on first use, not at startup: a daemon whose store is
 * down starts, each cycle that needs the store fails with the reason, and the first cycle after
 * the store is back connects. Closed when Camel stops.
 */
public final class StoreClients implements Service {

    public static final String BEAN = "cassandraEsSyncStores";
    /** A failed connection attempt is not repeated within this time: pairs failing together try once. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final SyncSettings settings;
    private CqlSession cassandra;
    private RestClient elasticsearchRest;
    private ElasticsearchClient elasticsearch;
    private final java.util.Set<String> pairs = new java.util.LinkedHashSet<>();
    private RuntimeException lastCassandraFailure;
    private long lastCassandraAttemptNanos;

    public StoreClients(SyncSettings settings) {
        this.settings = settings;
    }

    /**
     * The context's shared connections, created (from its {@code sync.*} properties, validated:
     * {@link InvalidConfigurationException} naming the keys) on the first call.
     */
    public static StoreClients shared(CamelContext context) {
        synchronized (StoreClients.class) {
            StoreClients clients = context.getRegistry().lookupByNameAndType(BEAN, StoreClients.class);
            if (clients == null) {
                clients = new StoreClients(SyncSettings.from(context.getPropertiesComponent()::resolveProperty));
                context.getRegistry().bind(BEAN, StoreClients.class, clients);
                try {
                    context.addService(clients, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return clients;
        }
    }

    /** Connections opened now (for tools and tests that need the stores at once). */
    public static StoreClients connect(SyncSettings settings) {
        StoreClients clients = new StoreClients(settings);
        clients.cassandra();
        clients.elasticsearch();
        return clients;
    }

    /**
     * Records that the pair {@code name} uses these connections.
     *
     * @throws InvalidConfigurationException when a pair of that name already does (they would share state files)
     */
    public synchronized void register(String name) {
        if (!pairs.add(name)) {
            throw new InvalidConfigurationException(java.util.List.of("pair '" + name + "' is declared twice; each"
                    + " pair needs its own name"));
        }
    }

    public synchronized void unregister(String name) {
        pairs.remove(name);
    }

    /** The names of the pairs using these connections. */
    public synchronized java.util.Set<String> pairs() {
        return java.util.Set.copyOf(pairs);
    }

    public SyncSettings settings() {
        return settings;
    }

    /** The Cassandra session, connecting first when needed. */
    public synchronized CqlSession cassandra() {
        if (cassandra == null) {
            if (lastCassandraFailure != null && System.nanoTime() - lastCassandraAttemptNanos < RETRY_AFTER.toNanos()) {
                throw lastCassandraFailure;
            }
            lastCassandraAttemptNanos = System.nanoTime();
            try {
                cassandra = cassandraSession(settings);
                lastCassandraFailure = null;
            } catch (RuntimeException e) {
                lastCassandraFailure = e;
                throw e;
            }
        }
        return cassandra;
    }

    /** The Elasticsearch client (it connects per request). */
    public synchronized ElasticsearchClient elasticsearch() {
        if (elasticsearch == null) {
            elasticsearchRest = elasticsearchRestClient(settings);
            elasticsearch = new ElasticsearchClient(new RestClientTransport(elasticsearchRest,
                    new JacksonJsonpMapper(org.cassandraessync.record.Json.newMapper())));
        }
        return elasticsearch;
    }

    private static CqlSession cassandraSession(SyncSettings s) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                .build();
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(config)
                .addContactPoints(s.cassandraContactPoints())
                .withLocalDatacenter(s.cassandraLocalDatacenter());
        s.cassandraCredentials().ifPresent(c -> builder.withAuthCredentials(c.username(), c.password()));
        try {
            return builder.build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot connect to Cassandra at " + s.cassandraContactPoints()
                    + " (sync.cassandra.contact-points, sync.cassandra.local-datacenter): " + e.getMessage(), e);
        }
    }

    private static RestClient elasticsearchRestClient(SyncSettings s) {
        HttpHost[] hosts = s.elasticsearchHosts().stream()
                .map(u -> new HttpHost(u.getHost(), port(u), u.getScheme()))
                .toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts);
        s.elasticsearchCredentials().ifPresent(c -> {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(c.username(), c.password()));
            builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
        });
        return builder.build();
    }

    private static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return "https".equals(u.getScheme()) ? 443 : 9200;
    }

    @Override
    public void start() {
        // connections open on first use
    }

    /** Closes both connections; safe to call more than once. */
    @Override
    public synchronized void stop() {
        if (cassandra != null) {
            cassandra.close();
            cassandra = null;
        }
        if (elasticsearchRest != null) {
            closeQuietly(elasticsearchRest);
            elasticsearchRest = null;
            elasticsearch = null;
        }
    }

    private static void closeQuietly(RestClient rest) {
        try {
            rest.close();
        } catch (IOException e) {
            // closing an HTTP pool cannot lose data
        }
    }
}

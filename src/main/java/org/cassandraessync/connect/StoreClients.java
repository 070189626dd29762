package org.cassandraessync.connect;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.cassandraessync.config.InvalidConfigurationException;
import org.cassandraessync.config.SyncSetting;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.config.TlsSettings;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreClients.class);
    /** A failed connection attempt is not repeated within this time: pairs failing together try once. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final SyncSettings settings;
    private final Probe cassandraProbe = new Probe();
    private final Probe elasticsearchProbe = new Probe();
    /** How health messages name each store: its hosts and ports. */
    private final String cassandraLabel;
    private final String elasticsearchLabel;
    private final StoreErrors errors;
    private CqlSession cassandra;
    private RestClient elasticsearchRest;
    private ElasticsearchClient elasticsearch;
    private final java.util.Set<String> pairs = new java.util.LinkedHashSet<>();
    private RuntimeException lastCassandraFailure;
    private long lastCassandraAttemptNanos;

    public StoreClients(SyncSettings settings) {
        this.settings = settings;
        this.cassandraLabel = "Cassandra at " + settings.cassandraContactPoints().stream()
                .map(a -> a.getHostString() + ":" + a.getPort()).collect(java.util.stream.Collectors.joining(","));
        this.elasticsearchLabel = "Elasticsearch at " + settings.elasticsearchHosts().stream()
                .map(u -> u.getHost() + ":" + port(u)).collect(java.util.stream.Collectors.joining(","));
        this.errors = new StoreErrors(cassandraLabel, elasticsearchLabel);
    }

    /**
     * One line naming the store, its hosts and the fix for a failure of credentials, certificates
     * or permissions; empty for other failures (their own message says what happened).
     */
    public Optional<String> explain(Throwable failure) {
        return errors.explain(failure);
    }

    /** As {@link #explain(Throwable)}, for a failure of the pair whose index is {@code index}. */
    public Optional<String> explain(Throwable failure, String index) {
        return errors.explain(failure, index);
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
                cassandra = cassandraSession(settings, errors);
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

    /** The low-level client under {@link #elasticsearch()}, for requests the Java client has no call for. */
    public synchronized RestClient elasticsearchRest() {
        elasticsearch();
        return elasticsearchRest;
    }

    private static CqlSession cassandraSession(SyncSettings s, StoreErrors errors) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                // a closed session's event loops stop at once, not after 2 quiet seconds (every stop,
                // every verify): by then the driver has closed its connections and nothing is queued
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                // a node back after an outage is reconnected to within 2 s (the driver's default grows
                // to 60 s): the first cycle after it then finds the session working
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
                .build();
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(config)
                .addContactPoints(s.cassandraContactPoints())
                .withLocalDatacenter(s.cassandraLocalDatacenter());
        s.cassandraCredentials().ifPresent(c -> builder.withAuthCredentials(c.username(), c.password()));
        s.cassandraTls().ifPresent(tls -> builder.withSslEngineFactory(
                new ProgrammaticSslEngineFactory(tls.context(), null, tls.verifyHostname())));
        try {
            return builder.build();
        } catch (RuntimeException e) {
            throw new IllegalStateException(errors.explain(e).orElseGet(() -> "Cannot connect to Cassandra at "
                    + s.cassandraContactPoints() + " (sync.cassandra.contact-points, sync.cassandra.local-datacenter): "
                    + e.getMessage()), e);
        }
    }

    private static RestClient elasticsearchRestClient(SyncSettings s) {
        HttpHost[] hosts = s.elasticsearchHosts().stream()
                .map(u -> new HttpHost(u.getHost(), port(u), u.getScheme()))
                .toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts);
        TlsSettings tls = s.elasticsearchTls();
        if (tls.trustsAnyCertificate()) {
            LOG.warn("TLS verification of Elasticsearch is OFF ({}=true): any server can pose as {} and read the"
                    + " credentials and the data. For local tests only.",
                    SyncSetting.ELASTICSEARCH_INSECURE_SKIP_TLS_VERIFY.key(), s.elasticsearchHosts());
        }
        s.elasticsearchApiKey().ifPresent(key -> builder.setDefaultHeaders(
                new org.apache.http.Header[] {new BasicHeader("Authorization", "ApiKey " + key)}));
        builder.setHttpClientConfigCallback(http -> {
            s.elasticsearchCredentials().ifPresent(c -> {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(c.username(), c.password()));
                http.setDefaultCredentialsProvider(credentials);
            });
            http.setSSLContext(tls.context());
            if (!tls.verifyHostname()) {
                http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            return http;
        });
        return builder.build();
    }

    private static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return "https".equals(u.getScheme()) ? 443 : 9200;
    }

    /**
     * What keeps each store from being used now, one line per store that does not answer a trivial
     * request within {@code timeout} (Cassandra: {@code SELECT release_version FROM system.local};
     * Elasticsearch: {@code GET /}, where a 401 is a problem). Cassandra without a session yet is
     * fine unless the last attempt to connect failed (the first cycle connects). For health checks:
     * both stores are asked at once, the answer comes within about {@code timeout} even when a
     * store hangs, and each store is asked at most once a second.
     */
    public java.util.List<String> problems(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        cassandraProbe.begin(this::askCassandra);
        elasticsearchProbe.begin(this::askElasticsearch);
        java.util.List<String> problems = new java.util.ArrayList<>(2);
        cassandraProbe.await(deadline, timeout, cassandraLabel).ifPresent(problems::add);
        elasticsearchProbe.await(deadline, timeout, elasticsearchLabel).ifPresent(problems::add);
        return problems;
    }

    private CompletableFuture<Optional<String>> askCassandra() {
        CqlSession session;
        RuntimeException failure;
        synchronized (this) {
            session = cassandra;
            failure = lastCassandraFailure;
        }
        if (session == null) {
            return CompletableFuture.completedFuture(failure == null ? Optional.empty()
                    : Optional.of(failure.getMessage()));
        }
        return session.executeAsync(SimpleStatement.newInstance("SELECT release_version FROM system.local")
                .setTimeout(Duration.ofSeconds(5))).toCompletableFuture().thenApply(rs -> Optional.<String>empty());
    }

    private CompletableFuture<Optional<String>> askElasticsearch() {
        elasticsearch();
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        elasticsearchRest.performRequestAsync(new Request("GET", "/"), new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                answer.complete(Optional.empty());
            }

            @Override
            public void onFailure(Exception e) {
                // any answer but a refusal of the credentials or a server error means it is there
                // (a minimal distribution answers GET / with 405)
                // (403: the user may lack the cluster privilege `monitor`, which the daemon does not need)
                int status = e instanceof ResponseException r ? r.getResponse().getStatusLine().getStatusCode() : 0;
                Optional<String> explained = status == 403 ? Optional.empty() : errors.explain(e);
                if (explained.isPresent()) {
                    answer.complete(Optional.of(explained.get()));
                } else if (status > 0 && status < 500) {
                    answer.complete(Optional.empty());
                } else {
                    answer.completeExceptionally(e);
                }
            }
        });
        return answer;
    }

    /** One store's last health answer, reused for a second; at most one question in flight. */
    private static final class Probe {
        private static final long FRESH_NANOS = 1_000_000_000L;
        private Optional<String> last = Optional.empty();
        private long answeredNanos;
        private CompletableFuture<Optional<String>> inFlight;

        /** Asks the store unless a question is in flight or the last answer is less than a second old. */
        synchronized void begin(java.util.function.Supplier<CompletableFuture<Optional<String>>> ask) {
            if (inFlight != null || (answeredNanos != 0 && System.nanoTime() - answeredNanos < FRESH_NANOS)) {
                return;
            }
            try {
                inFlight = ask.get();
            } catch (RuntimeException e) {
                inFlight = CompletableFuture.failedFuture(e);
            }
        }

        /** The answer, waiting until {@code deadline} at most: a store still silent then is a problem. */
        synchronized Optional<String> await(long deadline, Duration timeout, String store) {
            if (inFlight == null) {
                return last;
            }
            try {
                last = inFlight.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .map(m -> m.startsWith(store) ? m : store + ": " + m);
                inFlight = null;
                answeredNanos = System.nanoTime();
            } catch (TimeoutException e) {
                // still asking: the next health call waits for the same question
                return Optional.of(store + " did not answer within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                inFlight = null;
                answeredNanos = System.nanoTime();
                Throwable cause = e.getCause() == null ? e : e.getCause();
                last = Optional.of(store + " did not answer: " + cause.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(store + ": health check interrupted");
            }
            return last;
        }
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

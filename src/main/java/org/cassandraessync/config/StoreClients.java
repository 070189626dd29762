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
import org.apache.camel.Service;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The connections to both stores, opened once from the validated settings and shared by the Camel
 * components and the beans of the routes; closed when Camel stops.
 */
public final class StoreClients implements Service {

    private final CqlSession cassandra;
    private final RestClient elasticsearchRest;
    private final ElasticsearchClient elasticsearch;

    private StoreClients(CqlSession cassandra, RestClient elasticsearchRest) {
        this.cassandra = cassandra;
        this.elasticsearchRest = elasticsearchRest;
        this.elasticsearch = new ElasticsearchClient(new RestClientTransport(elasticsearchRest,
                new JacksonJsonpMapper(org.cassandraessync.record.Json.newMapper())));
    }

    public static StoreClients connect(SyncSettings s) {
        RestClient rest = elasticsearchRestClient(s);
        try {
            return new StoreClients(cassandraSession(s), rest);
        } catch (RuntimeException e) {
            closeQuietly(rest);
            throw e;
        }
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

    public CqlSession cassandra() {
        return cassandra;
    }

    public RestClient elasticsearchRest() {
        return elasticsearchRest;
    }

    public ElasticsearchClient elasticsearch() {
        return elasticsearch;
    }

    @Override
    public void start() {
        // connected on construction: a daemon that cannot reach its stores fails at startup
    }

    /** Closes both connections; safe to call more than once. */
    @Override
    public void stop() {
        cassandra.close();
        closeQuietly(elasticsearchRest);
    }

    private static void closeQuietly(RestClient rest) {
        try {
            rest.close();
        } catch (IOException e) {
            // closing an HTTP pool cannot lose data
        }
    }
}

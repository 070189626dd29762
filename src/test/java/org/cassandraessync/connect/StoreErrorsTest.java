package org.cassandraessync.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;

import javax.net.ssl.SSLHandshakeException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.internal.core.metadata.DefaultEndPoint;
import org.junit.jupiter.api.Test;

/** The failures an operator fixes, each as one line naming the store, its hosts and the fix. */
class StoreErrorsTest {

    private final StoreErrors errors = new StoreErrors("Cassandra at db1:9042", "Elasticsearch at es1:9200");

    @Test
    void refused_cassandra_credentials_name_the_keys_to_check() {
        var refused = new IllegalStateException("connect failed", new AuthenticationException(
                new DefaultEndPoint(new InetSocketAddress("127.0.0.1", 9042)),
                "Provided username sync and/or password are incorrect"));
        assertThat(errors.explain(refused)).hasValue("Cassandra at db1:9042 refused the credentials: check"
                + " sync.cassandra.username and sync.cassandra.password (or sync.cassandra.password-file)");
    }

    @Test
    void a_missing_elasticsearch_privilege_quotes_elasticsearchs_reason() {
        var forbidden = new ElasticsearchException("es/bulk", ErrorResponse.of(r -> r.status(403).error(e -> e
                .type("security_exception").reason("action [indices:data/write/bulk] is unauthorized for user [sync]"))));
        assertThat(errors.explain(forbidden)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("Elasticsearch at es1:9200 refused a request (HTTP 403): action [indices:data/write/bulk]"
                        + " is unauthorized for user [sync]. Grant that privilege"));
    }

    @Test
    void an_untrusted_certificate_deep_in_the_causes_names_the_trust_settings() {
        var untrusted = new IOException("request failed", new SSLHandshakeException(
                "PKIX path building failed: unable to find valid certification path to requested target"));
        assertThat(errors.explain(untrusted)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("Elasticsearch at es1:9200 presented a certificate this daemon does not trust: set"
                        + " sync.elasticsearch.ca-file"));
    }

    @Test
    void a_store_that_is_simply_down_is_not_explained_here() {
        assertThat(errors.explain(new java.net.ConnectException("Connection refused"))).isEmpty();
    }
}

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
    void a_write_refused_in_a_bulk_answer_names_the_operation_the_index_and_the_privilege() {
        // as ElasticsearchWriter reports a bulk item Elasticsearch refused (the request itself was accepted)
        var forbidden = new ElasticsearchException("es/bulk", ErrorResponse.of(r -> r.status(403).error(e -> e
                .type("security_exception").reason("action [indices:data/write/index:op_type/create] is unauthorized"
                        + " for user [sync] with effective roles [sync] on indices [products], this action is granted"
                        + " by the index privileges [create_doc,create,index,write,all]"))));
        assertThat(errors.explain(forbidden)).hasValue("Elasticsearch at es1:9200 refused to write documents to index"
                + " products (HTTP 403): grant the index privilege index on products to the user or API key"
                + " (docs/security.md, Least privilege, lists what the daemon needs)");
    }

    @Test
    void a_refused_request_the_daemon_does_not_list_quotes_elasticsearchs_reason() {
        var forbidden = new ElasticsearchException("es/indices.delete", ErrorResponse.of(r -> r.status(403).error(e -> e
                .type("security_exception").reason("action [indices:admin/delete] is unauthorized for user [sync]"))));
        assertThat(errors.explain(forbidden)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("Elasticsearch at es1:9200 refused a request (HTTP 403): action [indices:admin/delete]"
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

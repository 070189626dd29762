package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.http.client.config.RequestConfig;
import org.cassandraessync.record.StoreClock;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * What {@code check} asks Elasticsearch, read-only: the version, the privileges the user or API key
 * holds on an index ({@code _has_privileges}, which needs no privilege), whether the index exists,
 * how a field is mapped, and the cluster's clock ({@code now} in an aggregation, which needs only
 * {@code read}). Facts only: the command judges them.
 */
public final class ElasticsearchPreflight {

    /** How long the first request waits for an answer. */
    private static final int ANSWER_WITHIN_MILLIS = 10_000;

    private final RestClient client;
    private final ObjectMapper json = new ObjectMapper();

    public ElasticsearchPreflight(RestClient client) {
        this.client = client;
    }

    /**
     * What {@code GET /} says: the version, or the status of an answer without it (a user without the
     * cluster privilege {@code monitor} gets a 403). Any answer but 401 or a server error means the
     * cluster is there, as for the readiness probe.
     *
     * @throws IOException when it does not answer, refuses the credentials or fails
     */
    public String version() throws IOException {
        try {
            Request request = new Request("GET", "/");
            // a store that hangs is told within seconds, not after the client's 30 s
            request.setOptions(RequestOptions.DEFAULT.toBuilder().setRequestConfig(RequestConfig.custom()
                    .setConnectTimeout(ANSWER_WITHIN_MILLIS).setSocketTimeout(ANSWER_WITHIN_MILLIS).build()));
            return "Elasticsearch " + read(client.performRequest(request)).path("version")
                    .path("number").asText("unknown");
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 401 || status >= 500) {
                throw e;
            }
            return "Elasticsearch (version not shown: HTTP " + status + " to GET /"
                    + (status == 403 ? ", which needs the cluster privilege monitor, which the daemon does without" : "")
                    + ")";
        }
    }

    /**
     * Which of {@code privileges} the caller holds on {@code index}; empty when the cluster runs
     * without security (every request is allowed).
     */
    public Optional<Map<String, Boolean>> privileges(String index, List<String> privileges) throws IOException {
        ObjectNode body = json.createObjectNode();
        ObjectNode entry = body.putArray("index").addObject();
        entry.putArray("names").add(index);
        privileges.forEach(entry.withArray("privileges")::add);
        Request request = new Request("POST", "/_security/user/_has_privileges");
        request.setJsonEntity(body.toString());
        JsonNode answer;
        try {
            answer = read(client.performRequest(request));
        } catch (ResponseException e) {
            String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            // a cluster with security disabled, or a distribution without it (no handler for the path)
            if (text.contains("security must be explicitly enabled") || text.contains("security is not enabled")
                    || text.contains("security is disabled") || text.contains("no handler found for uri")) {
                return Optional.empty();
            }
            throw e;
        }
        Map<String, Boolean> held = new LinkedHashMap<>();
        JsonNode forIndex = answer.path("index").path(index);
        privileges.forEach(p -> held.put(p, forIndex.path(p).asBoolean(false)));
        return Optional.of(held);
    }

    public boolean indexExists(String index) throws IOException {
        try {
            client.performRequest(new Request("HEAD", "/" + index));
            return true;
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** How {@code field} is mapped in {@code index} ({@code date}, {@code keyword}, …); empty when it is not. */
    public Optional<String> fieldType(String index, String field) throws IOException {
        JsonNode answer = read(client.performRequest(new Request("GET", "/" + index + "/_mapping/field/" + field)));
        for (JsonNode mappings : answer) {
            JsonNode mapping = mappings.path("mappings").path(field).path("mapping");
            for (JsonNode type : mapping) {
                if (type.has("type")) {
                    return Optional.of(type.get("type").asText());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The cluster's clock: {@code now} as the cluster resolves it in a {@code date_range}
     * aggregation on the date field {@code field} (a search of no document, which needs only
     * {@code read}).
     */
    public StoreClock clock(String index, String field) throws IOException {
        Request request = new Request("POST", "/" + index + "/_search");
        request.setJsonEntity("{\"size\":0,\"track_total_hits\":false,\"query\":{\"match_none\":{}},\"aggs\":{\"now\":"
                + "{\"date_range\":{\"field\":" + json.writeValueAsString(field) + ",\"ranges\":[{\"from\":\"now\"}]}}}}");
        Instant before = Instant.now();
        JsonNode answer = read(client.performRequest(request));
        Instant after = Instant.now();
        JsonNode from = answer.path("aggregations").path("now").path("buckets").path(0).path("from");
        if (!from.isNumber()) {
            throw new IOException("Elasticsearch's answer has no time: " + answer);
        }
        return new StoreClock(before, Instant.ofEpochMilli(from.asLong()), after);
    }

    private JsonNode read(Response response) throws IOException {
        if (response.getEntity() == null) {
            return json.createObjectNode();
        }
        try (InputStream in = response.getEntity().getContent()) {
            return json.readTree(in);
        }
    }
}

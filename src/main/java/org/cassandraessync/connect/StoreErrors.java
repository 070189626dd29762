package org.cassandraessync.connect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;

/**
 * Turns the failures an operator fixes in the configuration or in the cluster (refused
 * credentials, an untrusted certificate, a certificate for another host name, TLS on one side only,
 * a missing permission) into one line that names the store, its hosts and what to change. Other
 * failures (a store down, a timeout) are not explained here: their own message says it.
 */
public final class StoreErrors {

    /** Where a refusal's reader finds every permission and privilege the daemon needs. */
    private static final String LEAST_PRIVILEGE = "(docs/security.md, Least privilege, lists what the daemon needs)";

    private final String cassandra;
    private final String elasticsearch;

    /** @param cassandra how to name the Cassandra store ("Cassandra at host:port"); likewise {@code elasticsearch} */
    public StoreErrors(String cassandra, String elasticsearch) {
        this.cassandra = cassandra;
        this.elasticsearch = elasticsearch;
    }

    /** The one-line explanation of {@code failure}, or empty when it is not one of the failures above. */
    public Optional<String> explain(Throwable failure) {
        return explain(failure, null);
    }

    /**
     * As {@link #explain(Throwable)}, for a failure of a pair's request: a refusal names
     * {@code index} when the request itself does not (a search of a point in time names none).
     */
    public Optional<String> explain(Throwable failure, String index) {
        List<Throwable> chain = chain(failure);
        boolean fromCassandra = chain.stream().anyMatch(StoreErrors::fromCassandraDriver);
        return fromCassandra ? cassandra(chain) : elasticsearch(chain, index);
    }

    private Optional<String> cassandra(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof UnauthorizedException) {
                return Optional.of(cassandra + " refused a request: " + t.getMessage() + ". Grant that permission to"
                        + " the user " + LEAST_PRIVILEGE);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof AuthenticationException) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("no authenticator configured")) {
                    return Optional.of(cassandra + " requires authentication: set sync.cassandra.username and"
                            + " sync.cassandra.password (or sync.cassandra.password-file)");
                }
                return Optional.of(cassandra + " refused the credentials: check sync.cassandra.username and"
                        + " sync.cassandra.password (or sync.cassandra.password-file)");
            }
        }
        return tls(chain, cassandra, "sync.cassandra.contact-points", "sync.cassandra.keystore",
                "set sync.cassandra.ca-file (PEM) or sync.cassandra.truststore to the CA that signed the nodes' certificates",
                "set sync.cassandra.tls=false, or point sync.cassandra.contact-points at the nodes' TLS port");
    }

    private Optional<String> elasticsearch(List<Throwable> chain, String pairIndex) {
        for (Throwable t : chain) {
            int status = t instanceof ResponseException r ? r.getResponse().getStatusLine().getStatusCode()
                    : t instanceof ElasticsearchException e ? e.status()
                    : t instanceof TransportException e ? e.statusCode() : 0;
            if (status == 401) {
                return Optional.of(elasticsearch + " refused the credentials (HTTP 401): check sync.elasticsearch.username"
                        + " and sync.elasticsearch.password (or password-file), or sync.elasticsearch.api-key");
            }
            if (status == 403) {
                return Optional.of(refused(t, pairIndex));
            }
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("no certificate of the server's chain has the SHA-256 fingerprint")) {
                return Optional.of(elasticsearch + " presented a certificate chain without the pinned CA: "
                        + message + ". Check sync.elasticsearch.ca-fingerprint");
            }
            if (t instanceof org.apache.http.ConnectionClosedException) {
                return Optional.of(elasticsearch + " closed the connection without an answer: if the cluster serves"
                        + " HTTPS, use https:// in sync.elasticsearch.hosts");
            }
        }
        return tls(chain, elasticsearch, "sync.elasticsearch.hosts", "sync.elasticsearch.keystore",
                "set sync.elasticsearch.ca-file (PEM, config/certs/http_ca.crt of a default install) or"
                        + " sync.elasticsearch.ca-fingerprint",
                "use http:// in sync.elasticsearch.hosts, or the cluster's HTTPS port");
    }

    /** The TLS failures both stores share. */
    private static Optional<String> tls(List<Throwable> chain, String store, String hostsKey, String keystoreKey,
            String trustFix, String plainFix) {
        // the deepest cause first: wrappers repeat its message after their own
        for (int i = chain.size() - 1; i >= 0; i--) {
            Throwable t = chain.get(i);
            String message = String.valueOf(t.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("pkix path") || lower.contains("unable to find valid certification path")) {
                return Optional.of(store + " presented a certificate this daemon does not trust: " + trustFix);
            }
            if (lower.contains("no subject alternative") || lower.contains("no name matching")
                    || lower.contains("does not match the certificate subject")) {
                return Optional.of(store + " presented a certificate for another host name (" + message + "): use a"
                        + " host name or address the certificate names in " + hostsKey + ", or have it reissued");
            }
            if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("not an ssl/tls record")) {
                return Optional.of(store + " does not speak TLS on that port: " + plainFix);
            }
            if (lower.contains("certificate_required")) {
                return Optional.of(store + " requires a client certificate: set " + keystoreKey + " (and its password)"
                        + " to a key store with a certificate the cluster trusts");
            }
            if (lower.contains("bad_certificate") || lower.contains("unknown_ca") || lower.contains("certificate_unknown")) {
                return Optional.of(store + " refused the client certificate of " + keystoreKey + " (" + message
                        + "): use one signed by a CA the cluster trusts");
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return Optional.of(store + ": TLS handshake failed (" + message + "): check the CA and client"
                        + " certificate settings against the cluster's");
            }
        }
        return Optional.empty();
    }

    /**
     * The refusal of {@code t} (HTTP 403) as the operation the daemon attempted, on which index (the
     * request's, else {@code pairIndex}), and the privilege to grant, from {@link ElasticsearchOperation};
     * a request the table does not know is named by its method and path, with Elasticsearch's reason
     * when its answer had a body.
     */
    private String refused(Throwable t, String pairIndex) {
        Optional<String> index = refusedIndex(t).or(() -> Optional.ofNullable(pairIndex));
        Optional<ElasticsearchOperation> operation = ElasticsearchOperation.of(endpointId(t));
        if (operation.isPresent()) {
            String target = index.orElse("the pair's index");
            return elasticsearch + " refused to " + operation.get().action(target) + " (HTTP 403): grant the index"
                    + " privilege " + operation.get().privilege() + " on " + target + " to the user or API key "
                    + LEAST_PRIVILEGE;
        }
        String request = requestLine(t).map(r -> " to " + r).orElse("");
        String reason = serverReason(t).map(r -> ": " + r).orElse("");
        return elasticsearch + " refused a request" + request + " (HTTP 403)" + reason + ". Grant that privilege to"
                + " the user or API key " + LEAST_PRIVILEGE;
    }

    private static String endpointId(Throwable t) {
        return t instanceof ElasticsearchException e ? e.endpointId()
                : t instanceof TransportException e ? e.endpointId() : "";
    }

    /** The index the refused request was about: from its path, else from Elasticsearch's reason ("on indices [x]"). */
    private static Optional<String> refusedIndex(Throwable t) {
        Optional<String> fromPath = requestLine(t).map(r -> r.substring(r.indexOf(' ') + 1))
                .map(path -> path.split("[/?]", 3)).filter(parts -> parts.length > 1)
                .map(parts -> URLDecoder.decode(parts[1], StandardCharsets.UTF_8))
                .filter(first -> !first.isEmpty() && !first.startsWith("_"));
        if (fromPath.isPresent()) {
            return fromPath;
        }
        return serverReason(t).flatMap(reason -> {
            int at = reason.indexOf("on indices [");
            int end = at < 0 ? -1 : reason.indexOf(']', at);
            return end < 0 ? Optional.empty() : Optional.of(reason.substring(at + "on indices [".length(), end));
        });
    }

    /** "HEAD /products" of the refused request, when the client kept its answer. */
    private static Optional<String> requestLine(Throwable t) {
        Object answer = t instanceof ResponseException r ? r.getResponse()
                : t instanceof TransportException e && e.response() != null
                        ? e.response().originalResponse()
                : t instanceof ElasticsearchException e && e.httpResponse() != null ? e.httpResponse().originalResponse()
                : null;
        return answer instanceof Response response
                ? Optional.of(response.getRequestLine().getMethod() + " " + response.getRequestLine().getUri())
                : Optional.empty();
    }

    /** Elasticsearch's own reason for a refusal, when its answer had a body (a HEAD's has none). */
    private static Optional<String> serverReason(Throwable t) {
        if (t instanceof ElasticsearchException e && e.error() != null && e.error().reason() != null) {
            return Optional.of(e.error().reason());
        }
        String message = String.valueOf(t.getMessage());
        int at = message.indexOf("\"reason\":\"");
        if (at >= 0) {
            int end = message.indexOf('"', at + 10);
            return Optional.of(message.substring(at + 10, end > 0 ? end : message.length()));
        }
        return Optional.empty();
    }

    private static boolean fromCassandraDriver(Throwable t) {
        if (t.getClass().getName().startsWith("com.datastax.oss.driver")) {
            return true;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("com.datastax.oss.driver")) {
                return true;
            }
        }
        return false;
    }

    /** The failure, its causes, and (for a driver's all-nodes failure) each node's errors and their causes. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> pending = new ArrayList<>(List.of(failure));
        while (!pending.isEmpty()) {
            Throwable t = pending.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            chain.add(t);
            pending.add(t.getCause());
            pending.addAll(List.of(t.getSuppressed()));
            if (t instanceof AllNodesFailedException all) {
                for (Map.Entry<?, List<Throwable>> node : all.getAllErrors().entrySet()) {
                    pending.addAll(node.getValue());
                }
            }
        }
        return chain;
    }
}

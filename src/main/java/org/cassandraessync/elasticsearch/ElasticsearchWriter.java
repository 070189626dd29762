package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.state.DeadLetters;

/**
 * Writes winners to Elasticsearch in one bulk request per page, every item with an explicit
 * {@code _id} and a precondition: {@code create} when the document did not exist, else
 * {@code index} with the {@code if_seq_no}/{@code if_primary_term} of the copy that was compared.
 * A document changed in between is never overwritten: the item fails with 409 and the record is
 * decided again next cycle.
 *
 * <p>Why not camel-elasticsearch's Bulk operation here: its producer is asynchronous and resumes
 * the route on the HTTP client's I/O thread; the rest of the cycle (more synchronous searches and
 * look-ups on the same client) then runs on, or waits for, that thread. A cycle that stays on its
 * own thread from start to end is simpler to reason about and cannot stall that way.
 */
public class ElasticsearchWriter {

    private final ElasticsearchRecordMapper mapper;
    private final WriteOutcomes outcomes;
    private final DeadLetters deadLetters;
    private final String index;

    private final ElasticsearchClient client;
    private final ObjectMapper json;
    /** The cluster's {@code http.max_content_length}, read at the first write; 0 before. */
    private volatile long maxRequestBytes;
    private final ExecutorService senders;
    private final Semaphore permits;
    private volatile boolean wroteSinceRefresh;

    /**
     * @param senders the threads that send bulk requests; {@code maxInFlight} of them at most, so the
     *        cycle reads and decides the next page while the previous pages are being indexed
     */
    public ElasticsearchWriter(ElasticsearchClient client, ObjectMapper json, ElasticsearchRecordMapper mapper,
            WriteOutcomes outcomes, DeadLetters deadLetters, String index, ExecutorService senders, int maxInFlight) {
        this.client = client;
        this.json = json;
        this.senders = senders;
        this.permits = new Semaphore(maxInFlight);
        this.mapper = mapper;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.index = index;
    }

    /**
     * Sends the page's winners in one bulk request and returns: the cycle waits for the response
     * ({@link WriteOutcomes#inFlight}) before it reads Elasticsearch and before it commits. Every item
     * of the response is accounted for.
     */
    public void write(List<PendingWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        wroteSinceRefresh = true;
        permits.acquireUninterruptibly();
        try {
            outcomes.inFlight(CompletableFuture.runAsync(() -> {
                try {
                    requests(writes).forEach(this::send);
                } finally {
                    permits.release();
                }
            }, senders));
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** A write with its document serialized, as it goes into the bulk request. */
    record Item(PendingWrite write, byte[] source) {
    }

    /** Bytes a bulk item adds to its document: the action line (operation, index, id, preconditions). */
    private static final int ACTION_BYTES = 512;
    /** Elasticsearch's own default for {@code http.max_content_length}. */
    private static final long DEFAULT_MAX_REQUEST_BYTES = 100L * 1024 * 1024;

    /**
     * The page's writes as bulk requests that each fit in one HTTP request of the cluster
     * ({@code http.max_content_length}); a document too large for any request goes to the dead
     * letters instead (Elasticsearch would close the connection on the whole bulk).
     */
    List<List<Item>> requests(List<PendingWrite> writes) {
        long limit = maxRequestBytes();
        List<List<Item>> requests = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        long size = 0;
        for (PendingWrite w : writes) {
            Map<String, Object> doc = mapper.toDocument(w.record());
            byte[] source;
            try {
                source = json.writeValueAsBytes(doc);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize document " + w.record().id(), e);
            }
            long itemSize = source.length + ACTION_BYTES;
            if (itemSize > limit) {
                deadLetters.reject(w.record().side(), w.record().id(), "Elasticsearch cannot take the document: "
                        + source.length + " bytes, larger than one request may be (http.max_content_length "
                        + limit + " bytes)", doc);
                continue;
            }
            if (size + itemSize > limit && !current.isEmpty()) {
                requests.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(new Item(w, source));
            size += itemSize;
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    private long maxRequestBytes() {
        if (maxRequestBytes == 0) {
            try {
                JsonData configured = client.cluster().getSettings(g -> g.includeDefaults(true).flatSettings(true))
                        .defaults().get("http.max_content_length");
                maxRequestBytes = configured == null ? DEFAULT_MAX_REQUEST_BYTES : bytes(configured.to(String.class));
            } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
                if (e.status() != 403) {
                    throw e;
                }
                // reading it needs the cluster privilege `monitor`, which the daemon does not require:
                // Elasticsearch's default applies, and a 413 answer still splits the request
                org.slf4j.LoggerFactory.getLogger(ElasticsearchWriter.class).info("Elasticsearch does not let this user"
                        + " read http.max_content_length (cluster privilege monitor): bulk requests stay below its"
                        + " default, 100mb");
                maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the settings of Elasticsearch: " + e.getMessage(), e);
            }
        }
        return maxRequestBytes;
    }

    /** An Elasticsearch byte size ({@code 100mb}, {@code 5mb}, {@code 1048576b}) in bytes. */
    static long bytes(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([kmgtp]?b?)")
                .matcher(size.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            return DEFAULT_MAX_REQUEST_BYTES;
        }
        int power = "bkmgtp".indexOf(m.group(2).isEmpty() ? 'b' : m.group(2).charAt(0));
        return Long.parseLong(m.group(1)) << (10 * power);
    }

    /**
     * One bulk request. Should the cluster still answer 413 Content Too Large (a proxy with a lower
     * limit), the request is sent again in halves, down to the one document too large for any
     * request, which goes to the dead letters.
     */
    private void send(List<Item> items) {
        List<PendingWrite> writes = items.stream().map(Item::write).toList();
        List<BulkResponseItem> answers;
        try {
            answers = client.bulk(bulk(items).build()).items();
        } catch (IOException | RuntimeException e) {
            if (!tooLarge(e)) {
                throw new UncheckedIOException("Elasticsearch bulk write to " + index + " failed: " + e.getMessage(),
                        e instanceof IOException io ? io : new IOException(e));
            }
            if (items.size() == 1) {
                PendingWrite w = writes.get(0);
                deadLetters.reject(w.record().side(), w.record().id(), "Elasticsearch cannot take the document:"
                        + " larger than one request may be (HTTP 413)", mapper.toDocument(w.record()));
                return;
            }
            int half = items.size() / 2;
            send(items.subList(0, half));
            send(items.subList(half, items.size()));
            return;
        }
        // outside the try: an item the cluster refuses fails the cycle with its own message, as before
        applied(writes, answers);
    }

    /** True when Elasticsearch answered 413 Content Too Large, however the client reports it. */
    static boolean tooLarge(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.elasticsearch.client.ResponseException r
                    && r.getResponse().getStatusLine().getStatusCode() == 413
                    || t instanceof co.elastic.clients.transport.TransportException te && te.statusCode() == 413
                    || t instanceof co.elastic.clients.elasticsearch._types.ElasticsearchException ee
                    && ee.status() == 413) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes this cycle's writes visible to searches before the Elasticsearch side is read, so that
     * the read sees their current sequence numbers instead of stale copies (one refresh per cycle,
     * only when something was written).
     */
    public void refreshIfWritten() {
        if (!wroteSinceRefresh) {
            return;
        }
        try {
            client.indices().refresh(r -> r.index(index));
            wroteSinceRefresh = false;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch refresh of " + index + " failed: " + e.getMessage(), e);
        }
    }

    BulkRequest.Builder bulk(List<Item> items) {
        // the index in the path too (POST /<index>/_bulk): a refusal then names it (StoreErrors)
        BulkRequest.Builder bulk = new BulkRequest.Builder().index(index);
        for (Item item : items) {
            PendingWrite w = item.write();
            String id = w.record().id().toString();
            BinaryData doc = BinaryData.of(item.source(), ContentType.APPLICATION_JSON);
            SyncRecord.Stamp stamp = w.replacing() == null ? null : w.replacing().stamp();
            if (stamp == null) {
                bulk.operations(BulkOperation.of(o -> o.create(c -> c.index(index).id(id).document(doc))));
            } else {
                bulk.operations(BulkOperation.of(o -> o.index(i -> i.index(index).id(id).document(doc)
                        .ifSeqNo(stamp.seqNo()).ifPrimaryTerm(stamp.primaryTerm()))));
            }
        }
        return bulk;
    }

    /**
     * Accounts for each item of the bulk response (same order as the writes): written, refused
     * because the target changed (retried next cycle), or rejected by the index (dead letters).
     * Overload or unavailability fails the cycle so that it is retried as a whole.
     */
    void applied(List<PendingWrite> writes, List<BulkResponseItem> items) {
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            PendingWrite w = writes.get(i);
            if (item.error() == null) {
                outcomes.written(w, item.seqNo() == null || item.primaryTerm() == null ? null
                        : SyncRecord.Stamp.elasticsearch(item.seqNo(), item.primaryTerm()));
            } else if (item.status() == 409) {
                outcomes.conflict(w);
            } else if (item.status() != 400) {
                // as the client reports a refused request: the status and Elasticsearch's reason (a 403
                // names the missing privilege)
                throw new co.elastic.clients.elasticsearch._types.ElasticsearchException("es/bulk",
                        co.elastic.clients.elasticsearch._types.ErrorResponse.of(r -> r.status(item.status())
                                .error(item.error())));
            } else {
                deadLetters.reject(w.record().side(), w.record().id(), "Elasticsearch refused the document ("
                        + item.error().type() + "): " + item.error().reason(), mapper.toDocument(w.record()));
            }
        }
    }
}

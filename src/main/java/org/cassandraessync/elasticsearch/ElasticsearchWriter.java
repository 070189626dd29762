package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import org.cassandraessync.cycle.PendingWrite;
import org.cassandraessync.cycle.SyncCycle;
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
    private final SyncCycle cycle;
    private final DeadLetters deadLetters;
    private final String index;

    private final ElasticsearchClient client;
    private final ExecutorService senders;
    private final Semaphore permits;
    private volatile boolean wroteSinceRefresh;

    /**
     * @param senders the threads that send bulk requests; {@code maxInFlight} of them at most, so the
     *        cycle reads and decides the next page while the previous pages are being indexed
     */
    public ElasticsearchWriter(ElasticsearchClient client, ElasticsearchRecordMapper mapper, SyncCycle cycle,
            DeadLetters deadLetters, String index, ExecutorService senders, int maxInFlight) {
        this.client = client;
        this.senders = senders;
        this.permits = new Semaphore(maxInFlight);
        this.mapper = mapper;
        this.cycle = cycle;
        this.deadLetters = deadLetters;
        this.index = index;
    }

    /**
     * Sends the page's winners in one bulk request and returns: the cycle waits for the response
     * ({@link SyncCycle#awaitWrites}) before it reads Elasticsearch and before it commits. Every item
     * of the response is accounted for.
     */
    public void write(List<PendingWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        wroteSinceRefresh = true;
        permits.acquireUninterruptibly();
        try {
            cycle.inFlight(CompletableFuture.runAsync(() -> {
                try {
                    send(writes);
                } finally {
                    permits.release();
                }
            }, senders));
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /**
     * One bulk request; a request larger than Elasticsearch takes ({@code http.max_content_length},
     * HTTP 413) is sent again in halves, down to the one document too large for any request, which
     * goes to the dead letters.
     */
    private void send(List<PendingWrite> writes) {
        List<BulkResponseItem> items;
        try {
            items = client.bulk(bulk(writes).build()).items();
        } catch (IOException | RuntimeException e) {
            if (!tooLarge(e) && !(connectionDropped(e) && clusterAnswers())) {
                throw new UncheckedIOException("Elasticsearch bulk write to " + index + " failed: " + e.getMessage(),
                        e instanceof IOException io ? io : new IOException(e));
            }
            if (writes.size() == 1) {
                PendingWrite w = writes.get(0);
                deadLetters.reject(w.record().side(), w.record().id(), "Elasticsearch refused the document: larger"
                        + " than one request may be (HTTP 413, http.max_content_length; the connection was closed)",
                        mapper.toDocument(w.record()));
                return;
            }
            int half = writes.size() / 2;
            send(writes.subList(0, half));
            send(writes.subList(half, writes.size()));
            return;
        }
        // outside the try: an item the cluster refuses fails the cycle with its own message, as before
        applied(writes, items);
    }

    /**
     * True when the connection broke while the request was being sent: what a client sees when
     * Elasticsearch refuses a body above {@code http.max_content_length} and closes the connection
     * before reading it (the 413 answer is then never read).
     */
    static boolean connectionDropped(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof IOException && (message.contains("Broken pipe") || message.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the cluster answers a small request right now: a broken connection was then about the request. */
    private boolean clusterAnswers() {
        // the first try may take a pooled connection that the refusal just closed
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                if (client.ping().value()) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // tried again below
            }
        }
        return false;
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

    BulkRequest.Builder bulk(List<PendingWrite> writes) {
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (PendingWrite w : writes) {
            String id = w.record().id().toString();
            Object doc = mapper.toDocument(w.record());
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
                cycle.written(w, item.seqNo() == null || item.primaryTerm() == null ? null
                        : SyncRecord.Stamp.elasticsearch(item.seqNo(), item.primaryTerm()));
            } else if (item.status() == 409) {
                cycle.conflict(w);
            } else if (item.status() != 400) {
                throw new IllegalStateException("Elasticsearch refused a bulk write (" + item.status() + " "
                        + item.error().type() + "): " + item.error().reason());
            } else {
                deadLetters.reject(w.record().side(), w.record().id(), "Elasticsearch refused the document ("
                        + item.error().type() + "): " + item.error().reason(), mapper.toDocument(w.record()));
            }
        }
    }
}

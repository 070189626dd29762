package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.PageIterator;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;

/**
 * Reads the Elasticsearch side of a cycle's window in pages of {@code sync.batch-size} documents:
 * only their metadata (id, timestamp, sequence number), then the content of those that are not
 * versions already in sync (see {@link KnownVersions}: what a cycle re-reads once they are as old as
 * the overlap, or reads back after copying it) by one multi-get; while nearly all are new versions,
 * the content with the search itself. A window's ranges ({@link SyncWindow#ranges}) are read one
 * after the other in one point-in-time.
 * Each search is a range query on the timestamp field inside a point-in-time, sorted by timestamp then
 * {@code _shard_doc} and paged with {@code search_after}, so every matching document is seen
 * exactly once even when many share a timestamp, and never only the first 10 hits. The first
 * cycle (no checkpoint) reads every document the same way.
 *
 * <p>Why not camel-elasticsearch here: its Search operation drops {@code pit}, {@code sort} and
 * {@code search_after} from the request.
 */
public class ElasticsearchChanges {

    private static final String KEEP_ALIVE = "2m";

    private final ElasticsearchClient client;
    private final ElasticsearchLookup documents;
    private final ElasticsearchRecordMapper mapper;
    private final java.util.concurrent.Executor readAhead;
    private final String index;
    private final String timestampField;
    private final int batchSize;
    private final java.time.Duration maxClockSkew;

    public ElasticsearchChanges(ElasticsearchClient client, ElasticsearchLookup documents,
            ElasticsearchRecordMapper mapper, java.util.concurrent.Executor readAhead, String index, String timestampField,
            int batchSize, java.time.Duration maxClockSkew) {
        this.maxClockSkew = maxClockSkew;
        this.client = client;
        this.documents = documents;
        this.mapper = mapper;
        this.readAhead = readAhead;
        this.index = index;
        this.timestampField = timestampField;
        this.batchSize = batchSize;
    }

    private Query query(SyncWindow window) {
        return window.isFull() ? Query.of(q -> q.matchAll(m -> m))
                : Query.of(q -> q.range(r -> r.date(d -> d.field(timestampField)
                        .gt(Timestamps.format(window.after())))));
    }

    /** One range of a window: {@code > after}, and {@code <= upTo} unless open-ended. */
    private Query query(SyncWindow.Range range) {
        return range.after() == null ? Query.of(q -> q.matchAll(m -> m))
                : Query.of(q -> q.range(r -> r.date(d -> {
                    d.field(timestampField).gt(Timestamps.format(range.after()));
                    return range.isOpenEnded() ? d : d.lte(Timestamps.format(range.upTo()));
                })));
    }

    /** How many documents the window holds (for progress lines). */
    public long count(SyncWindow window) {
        try {
            return client.count(c -> c.index(index).query(query(window))).count();
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch count on " + index + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * How many documents the index holds, every one written so far included (it is refreshed first);
     * empty when the refresh is refused (a user with read privileges only).
     */
    public java.util.OptionalLong countAll() {
        try {
            refresh();
        } catch (UncheckedIOException | co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(client.count(c -> c.index(index)).count());
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch count on " + index + " failed: " + e.getMessage(), e);
        }
    }

    /** Makes every document indexed so far searchable. */
    public void refresh() {
        try {
            client.indices().refresh(r -> r.index(index));
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch refresh of " + index + " failed: " + e.getMessage(), e);
        }
    }

    /** True when the index holds no searchable document. */
    public boolean isEmpty() {
        try {
            return client.count(c -> c.index(index)).count() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch count on " + index + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The changes of a cycle's Elasticsearch window, one page of records at a time; documents that
     * {@code known} says are in sync already are counted there and skipped.
     */
    public Iterator<List<SyncRecord>> pages(SyncWindow window, KnownVersions known) {
        Iterator<SyncWindow.Range> ranges = window.isFull() ? List.of(new SyncWindow.Range(null, null)).iterator()
                : window.ranges().iterator();
        return new PageIterator<>(readAhead) {
            private String pit;
            private Query query;
            private List<FieldValue> searchAfter;
            private boolean exhausted;
            /** Whether searches return the documents' content: while nearly all hits are new versions. */
            private boolean withContent;

            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            protected List<SyncRecord> fetchNext() {
                if (query == null && !nextRange()) {
                    return null;
                }
                try {
                    if (pit == null) {
                        pit = client.openPointInTime(p -> p.index(index).keepAlive(k -> k.time(KEEP_ALIVE))).id();
                    }
                    String currentPit = pit;
                    boolean content = withContent;
                    SearchResponse<Map> response = client.search(s -> {
                        s.pit(p -> p.id(currentPit).keepAlive(k -> k.time(KEEP_ALIVE)))
                                .query(query)
                                .size(batchSize)
                                .seqNoPrimaryTerm(true)
                                .source(src -> src.fetch(content))
                                .trackTotalHits(t -> t.enabled(false))
                                .sort(o -> o.field(f -> f.field(timestampField).order(SortOrder.Asc)
                                        .missing(FieldValue.of("_last"))))
                                .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)));
                        if (searchAfter != null) {
                            s.searchAfter(searchAfter);
                        }
                        return s;
                    }, Map.class);
                    if (response.pitId() != null) {
                        pit = response.pitId();
                    }
                    List<Hit<Map>> hits = response.hits().hits();
                    List<Hit<Map>> changed = new ArrayList<>(hits.size());
                    for (Hit<Map> hit : hits) {
                        if (!nextCycles(hit) && !alreadySynced(hit)) {
                            changed.add(hit);
                        }
                    }
                    List<SyncRecord> page = content ? fromHits(changed)
                            : documents.read(changed.stream().map(Hit::id).toList());
                    known.fetched(Side.ELASTICSEARCH, content ? hits.size() : changed.size());
                    // the content with the search costs the content of the hits already in sync too
                    withContent = changed.size() * 10 > hits.size() * 9;
                    if (hits.size() < batchSize) {
                        query = null; // this range is done; the next (if any) in the same point-in-time
                        if (!ranges.hasNext()) {
                            finish();
                        }
                    } else {
                        searchAfter = hits.get(hits.size() - 1).sort();
                    }
                    return page;
                } catch (IOException e) {
                    finish();
                    throw new UncheckedIOException("Elasticsearch search on " + index + " failed: " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    finish();
                    throw e;
                }
            }

            @SuppressWarnings({"unchecked", "rawtypes"})
            private List<SyncRecord> fromHits(List<Hit<Map>> hits) {
                List<SyncRecord> records = new ArrayList<>(hits.size());
                for (Hit<Map> hit : hits) {
                    SyncRecord r = mapper.fromDocument(hit.id(), hit.source(), hit.seqNo(), hit.primaryTerm());
                    if (r != null) {
                        records.add(r);
                    }
                }
                return records;
            }

            /** A hit stamped (its first sort value) after the window: the next cycle reads it. */
            private boolean nextCycles(Hit<Map> hit) {
                return !hit.sort().isEmpty() && hit.sort().get(0).isLong()
                        && window.belongsToNextCycle(hit.sort().get(0).longValue(), maxClockSkew);
            }

            /** A hit whose id, timestamp (its first sort value) and sequence number are a version already in sync. */
            private boolean alreadySynced(Hit<Map> hit) {
                if (hit.seqNo() == null || hit.primaryTerm() == null || hit.sort().isEmpty()
                        || !hit.sort().get(0).isLong()) {
                    return false;
                }
                UUID id;
                try {
                    id = UUID.fromString(hit.id());
                } catch (IllegalArgumentException e) {
                    return false; // read in full, then reported by the mapper
                }
                return known.alreadySynced(Side.ELASTICSEARCH, id, hit.sort().get(0).longValue(),
                        SyncRecord.Stamp.elasticsearch(hit.seqNo(), hit.primaryTerm()));
            }

            /** Moves to the window's next range; false when there is none. */
            private boolean nextRange() {
                if (exhausted || !ranges.hasNext()) {
                    finish();
                    return false;
                }
                query = query(ranges.next());
                searchAfter = null;
                withContent = false;
                return true;
            }

            private void finish() {
                exhausted = true;
                query = null;
                if (pit != null) {
                    String closing = pit;
                    pit = null;
                    try {
                        client.closePointInTime(c -> c.id(closing));
                    } catch (IOException | RuntimeException e) {
                        // an unclosed point-in-time expires by itself after its keep-alive
                    }
                }
            }
        };
    }
}

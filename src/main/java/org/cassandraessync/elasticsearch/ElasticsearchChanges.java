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

    /**
     * The ranges of a window that lie at or after {@code from} (all of them for null): a range
     * that ends before it is dropped, one that holds it starts there.
     */
    static List<SyncWindow.Range> from(List<SyncWindow.Range> ranges, java.time.Instant from) {
        if (from == null) {
            return ranges;
        }
        java.time.Instant justBefore = from.minusMillis(1);
        List<SyncWindow.Range> rest = new ArrayList<>();
        for (SyncWindow.Range r : ranges) {
            if (r.upTo() != null && r.upTo().isBefore(from)) {
                continue;
            }
            rest.add(r.after() != null && !r.after().isBefore(justBefore) ? r
                    : new SyncWindow.Range(justBefore, r.upTo()));
        }
        return rest;
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
        return pages(window, known, null);
    }

    /**
     * As {@link #pages(SyncWindow, KnownVersions)}, going on from {@code position}: a timestamp its
     * reader gave, before which every document of the window was handed out. The window's ranges
     * are read in timestamp order, so the reading goes on with the documents stamped at or after it
     * (those stamped exactly then are read again). Each page says where it ends: its last hit's
     * timestamp.
     */
    public Iterator<List<SyncRecord>> pages(SyncWindow window, KnownVersions known, String position) {
        List<SyncWindow.Range> all = window.isFull() ? List.of(new SyncWindow.Range(null, null)) : window.ranges();
        Iterator<SyncWindow.Range> ranges = from(all, position == null ? null : Timestamps.parse(position)).iterator();
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
                    Long last = hits.isEmpty() ? null : timestampOf(hits.get(hits.size() - 1));
                    if (last != null) {
                        endsAt(Timestamps.format(java.time.Instant.ofEpochMilli(last)));
                    }
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

            /** The window's documents stamped before {@code position}, of all of them (two counts). */
            @Override
            public java.util.OptionalDouble shareBefore(String position) {
                long all = count(window);
                if (all == 0) {
                    return java.util.OptionalDouble.empty();
                }
                Query before = Query.of(q -> q.bool(b -> b.must(query(window)).must(m -> m.range(r -> r.date(d -> d
                        .field(timestampField).lt(position))))));
                try {
                    return java.util.OptionalDouble.of(client.count(c -> c.index(index).query(before)).count()
                            / (double) all);
                } catch (IOException e) {
                    throw new UncheckedIOException("Elasticsearch count on " + index + " failed: " + e.getMessage(), e);
                }
            }

            /** A hit's timestamp, its first sort value; null when it has none (sorted last). */
            private Long timestampOf(Hit<Map> hit) {
                return hit.sort().isEmpty() || !hit.sort().get(0).isLong()
                        || hit.sort().get(0).longValue() == Long.MAX_VALUE ? null : hit.sort().get(0).longValue();
            }

            /** A hit stamped (its first sort value) after the window: the next cycle reads it. */
            private boolean nextCycles(Hit<Map> hit) {
                Long stamped = timestampOf(hit);
                return stamped != null && window.belongsToNextCycle(stamped, maxClockSkew);
            }

            /** A hit whose id, timestamp (its first sort value) and sequence number are a version already in sync. */
            private boolean alreadySynced(Hit<Map> hit) {
                Long stamped = timestampOf(hit);
                if (hit.seqNo() == null || hit.primaryTerm() == null || stamped == null) {
                    return false;
                }
                UUID id;
                try {
                    id = UUID.fromString(hit.id());
                } catch (IllegalArgumentException e) {
                    return false; // read in full, then reported by the mapper
                }
                return known.alreadySynced(Side.ELASTICSEARCH, id, stamped,
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

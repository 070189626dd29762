package org.cassandraessync.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.get.GetResult;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;

/**
 * The current Elasticsearch copies of a page of records (or the content of changed documents), by one multi-get (real time: documents
 * not yet refreshed are seen too), with the sequence numbers that make the writes over them
 * conditional.
 */
public class ElasticsearchLookup {

    private final ElasticsearchClient client;
    private final ElasticsearchRecordMapper mapper;
    private final String index;

    public ElasticsearchLookup(ElasticsearchClient client, ElasticsearchRecordMapper mapper, String index) {
        this.client = client;
        this.mapper = mapper;
        this.index = index;
    }

    /** The current copies of these records (counterparts of another store's changes). */
    public List<SyncRecord> find(Collection<UUID> ids) {
        List<SyncRecord> found = new ArrayList<>();
        for (GetResult<Map> doc : get(ids.stream().map(UUID::toString).toList())) {
            SyncRecord r = mapper.fromDocument(doc.id(), doc.source(), doc.seqNo(), doc.primaryTerm());
            found.add(r != null ? r : SyncRecord.unusable(UUID.fromString(doc.id()), Side.ELASTICSEARCH,
                    SyncRecord.Stamp.elasticsearch(doc.seqNo(), doc.primaryTerm())));
        }
        return found;
    }

    /**
     * The current content of documents found changed (by id as stored, valid UUID or not); a
     * document that cannot be synced is reported to the dead letters by the mapper and left out.
     */
    public List<SyncRecord> read(List<String> documentIds) {
        List<SyncRecord> records = new ArrayList<>(documentIds.size());
        for (GetResult<Map> doc : get(documentIds)) {
            SyncRecord r = mapper.fromDocument(doc.id(), doc.source(), doc.seqNo(), doc.primaryTerm());
            if (r != null) {
                records.add(r);
            }
        }
        return records;
    }

    /** One multi-get; the documents found. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<GetResult<Map>> get(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            MgetResponse<Map> response = client.mget(m -> m.index(index).ids(keys), Map.class);
            List<GetResult<Map>> found = new ArrayList<>(keys.size());
            for (MultiGetResponseItem<Map> item : response.docs()) {
                if (item.isFailure()) {
                    throw new IllegalStateException("Elasticsearch multi-get failed for " + item.failure().id() + ": "
                            + item.failure().error().reason());
                }
                if (item.result().found()) {
                    found.add(item.result());
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch multi-get on " + index + " failed: " + e.getMessage(), e);
        }
    }
}

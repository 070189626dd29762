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
 * The current Elasticsearch copies of a page of records, by one multi-get (real time: documents
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<SyncRecord> find(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> keys = ids.stream().map(UUID::toString).toList();
        try {
            MgetResponse<Map> response = client.mget(m -> m.index(index).ids(keys), Map.class);
            List<SyncRecord> found = new ArrayList<>();
            for (MultiGetResponseItem<Map> item : response.docs()) {
                if (item.isFailure()) {
                    throw new IllegalStateException("Elasticsearch multi-get failed for " + item.failure().id() + ": "
                            + item.failure().error().reason());
                }
                GetResult<Map> doc = item.result();
                if (doc.found()) {
                    SyncRecord r = mapper.fromDocument(doc.id(), doc.source(), doc.seqNo(), doc.primaryTerm());
                    found.add(r != null ? r : SyncRecord.unusable(UUID.fromString(doc.id()), Side.ELASTICSEARCH,
                            SyncRecord.Stamp.elasticsearch(doc.seqNo(), doc.primaryTerm())));
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch multi-get on " + index + " failed: " + e.getMessage(), e);
        }
    }
}

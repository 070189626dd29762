package org.cassandraessync.elasticsearch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Normalizes Elasticsearch hits to {@link SyncRecord}s and records to documents. The document
 * {@code _id} is the record's UUID; the fields are whatever the source holds.
 */
public class ElasticsearchRecordMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchRecordMapper.class);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final String idField;
    private final String timestampField;
    private final ObjectMapper json;

    public ElasticsearchRecordMapper(String idField, String timestampField, ObjectMapper json) {
        this.idField = idField;
        this.timestampField = timestampField;
        this.json = json;
    }

    /** The hit as a record, or null (with a warning) when its id or timestamp is unusable. */
    public SyncRecord fromHit(Hit<?> hit) {
        Map<String, Object> source = json.convertValue(hit.source(), MAP);
        UUID id;
        Instant lastModified;
        try {
            id = UUID.fromString(hit.id());
            lastModified = Timestamps.parse(source.remove(timestampField));
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipping Elasticsearch document {}: {}", hit.id(), e.getMessage());
            return null;
        }
        source.remove(idField);
        return new SyncRecord(id, lastModified, source, Side.ELASTICSEARCH);
    }

    /** The document source: every field plus the timestamp; the id travels as the document {@code _id}. */
    public Map<String, Object> toDocument(SyncRecord record) {
        Map<String, Object> doc = new LinkedHashMap<>(record.fields());
        doc.put(timestampField, Timestamps.format(record.lastModified()));
        return doc;
    }
}

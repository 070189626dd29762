package org.cassandraessync.elasticsearch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.record.CanonicalForm;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.TimestampRules;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.state.DeadLetters;

/**
 * Normalizes Elasticsearch documents to {@link SyncRecord}s and records to documents. The
 * document {@code _id} is the record's UUID. Field values are put in the form they have when read
 * back from Cassandra ({@link CanonicalForm}: a field that maps to a column is read as that
 * column's type), so the same value on both sides compares equal and writes back exactly. A document that cannot be
 * synced goes to the dead letters with its reason.
 */
public class ElasticsearchRecordMapper {

    private final String idField;
    private final String timestampField;
    private final CanonicalForm canonical;
    private final DeadLetters deadLetters;
    private final Duration maxClockSkew;
    private final Clock clock;

    public ElasticsearchRecordMapper(String idField, String timestampField, CanonicalForm canonical,
            DeadLetters deadLetters, Duration maxClockSkew, Clock clock) {
        this.idField = idField;
        this.timestampField = timestampField;
        this.canonical = canonical;
        this.deadLetters = deadLetters;
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    /**
     * The document as a record, or null when it was rejected to the dead letters.
     *
     * @param seqNo and {@code primaryTerm}: the document's version, for conditional writes over it
     */
    public SyncRecord fromDocument(String docId, Map<String, Object> source, Long seqNo, Long primaryTerm) {
        Map<String, Object> fields = new LinkedHashMap<>(source == null ? Map.of() : source);
        Object rawTimestamp = fields.remove(timestampField);
        fields.remove(idField);
        UUID id;
        Instant lastModified;
        try {
            id = uuid(docId);
            if (rawTimestamp == null) {
                throw new IllegalArgumentException("no " + timestampField + " value");
            }
            lastModified = Timestamps.parse(rawTimestamp);
            String future = TimestampRules.tooFarInFuture(lastModified, clock, maxClockSkew, timestampField);
            if (future != null) {
                throw new IllegalArgumentException(future);
            }
            // each value in the form it has when read back from Cassandra, so that copies compare equal
            canonical.apply(fields);
        } catch (IllegalArgumentException e) {
            deadLetters.reject(Side.ELASTICSEARCH, docId, e.getMessage(), source);
            return null;
        }
        SyncRecord.Stamp stamp = seqNo == null || primaryTerm == null ? null
                : SyncRecord.Stamp.elasticsearch(seqNo, primaryTerm);
        return new SyncRecord(id, lastModified, fields, Side.ELASTICSEARCH, stamp);
    }

    /** The document source: every field plus the timestamp; the id travels as the document {@code _id}. */
    public Map<String, Object> toDocument(SyncRecord record) {
        Map<String, Object> doc = new LinkedHashMap<>(record.fields());
        doc.put(timestampField, Timestamps.format(record.lastModified()));
        return doc;
    }

    private static UUID uuid(String docId) {
        try {
            UUID id = UUID.fromString(docId);
            if (!id.toString().equals(docId)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("_id '" + docId + "' is not a UUID in canonical lower-case form");
        }
    }
}

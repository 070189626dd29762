package org.cassandraessync.record;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The one record model that travels through the routes: one version of one record as read from
 * one store. {@code fields} holds every column/field other than the id and the timestamp, as
 * JSON-ready values (strings, numbers, booleans, lists, maps, null), whatever the table's schema.
 */
public record SyncRecord(UUID id, Instant lastModified, Map<String, Object> fields, Side side, Stamp stamp) {

    public SyncRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(side, "side");
    }

    public SyncRecord(UUID id, Instant lastModified, Map<String, Object> fields, Side side) {
        this(id, lastModified, fields, side, null);
    }

    /**
     * A copy that exists in its store but cannot be synced as it is (already reported to the dead
     * letters): it loses to any valid version, which then replaces it (conditionally, by its stamp).
     */
    public static SyncRecord unusable(UUID id, Side side, Stamp stamp) {
        return new SyncRecord(id, Instant.MIN, Map.of(), side, stamp);
    }

    /**
     * Where this copy stands in its own store, so that a write over it can be made conditional:
     * Elasticsearch's sequence number and primary term, or Cassandra's write time (microseconds).
     */
    public record Stamp(long seqNo, long primaryTerm, long writeTimeMicros) {

        public static Stamp elasticsearch(long seqNo, long primaryTerm) {
            return new Stamp(seqNo, primaryTerm, -1);
        }

        public static Stamp cassandra(long writeTimeMicros) {
            return new Stamp(-1, -1, writeTimeMicros);
        }
    }

    /**
     * This version with one field set to {@code value} (or removed when null): for an integrator's
     * transformation step, e.g. {@code ${body.withField('email', '***')}}.
     */
    public SyncRecord withField(String name, Object value) {
        Map<String, Object> changed = new java.util.LinkedHashMap<>(fields);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return new SyncRecord(id, lastModified, changed, side, stamp);
    }

    /** Same timestamp and same values; a field that is null on one side and absent on the other counts as equal. */
    public boolean sameVersionAs(SyncRecord other) {
        return lastModified.equals(other.lastModified) && sameValues(fields, other.fields);
    }

    private static boolean sameValues(Map<?, ?> a, Map<?, ?> b) {
        for (Map.Entry<?, ?> e : a.entrySet()) {
            if (!sameValue(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<?, ?> e : b.entrySet()) {
            if (e.getValue() != null && !a.containsKey(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** Numbers compare by value (a bigint 7 read from Cassandra equals a 7 parsed from JSON); sets ignore order. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof java.util.Set<?> x && b instanceof java.util.Set<?> y) {
            return x.equals(y);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return sameValues(x, y);
        }
        if (a instanceof Iterable<?> x && b instanceof Iterable<?> y) {
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext() && j.hasNext()) {
                if (!sameValue(i.next(), j.next())) {
                    return false;
                }
            }
            return !i.hasNext() && !j.hasNext();
        }
        return Objects.equals(a, b);
    }
}

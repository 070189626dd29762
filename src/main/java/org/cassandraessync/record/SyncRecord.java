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
public record SyncRecord(UUID id, Instant lastModified, Map<String, Object> fields, Side side) {

    public SyncRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(side, "side");
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

    /** Numbers compare by value (a bigint 7 read from Cassandra equals a 7 parsed from JSON). */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
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

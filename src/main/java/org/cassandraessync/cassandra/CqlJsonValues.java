package org.cassandraessync.cassandra;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.protocol.internal.util.Bytes;
import org.cassandraessync.record.Timestamps;

/**
 * Converts the Java values the Cassandra driver returns into JSON-ready values, in the textual
 * forms that Cassandra's own {@code INSERT ... JSON} accepts back, so a value read from Cassandra
 * and written again through Elasticsearch round-trips.
 */
final class CqlJsonValues {

    private CqlJsonValues() {
    }

    static Object toJson(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof Instant i) {
            return Timestamps.format(i);
        }
        if (value instanceof UUID || value instanceof LocalDate || value instanceof LocalTime
                || value instanceof CqlDuration) {
            return value.toString();
        }
        if (value instanceof InetAddress a) {
            return a.getHostAddress();
        }
        if (value instanceof ByteBuffer b) {
            return Bytes.toHexString(b);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(toJson(k)), toJson(v)));
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(v -> out.add(toJson(v)));
            return out;
        }
        if (value instanceof UdtValue udt) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < udt.size(); i++) {
                out.put(udt.getType().getFieldNames().get(i).asInternal(), toJson(udt.getObject(i)));
            }
            return out;
        }
        if (value instanceof TupleValue t) {
            List<Object> out = new ArrayList<>(t.size());
            for (int i = 0; i < t.size(); i++) {
                out.add(toJson(t.getObject(i)));
            }
            return out;
        }
        return value.toString();
    }
}

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

import java.math.BigDecimal;
import java.math.BigInteger;

import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.VectorType;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.protocol.internal.util.Bytes;
import org.cassandraessync.record.Timestamps;

/**
 * The value mapper between CQL and JSON. {@link #toJson} turns what the Cassandra driver returns
 * into JSON-ready values in the textual forms Cassandra's own {@code INSERT ... JSON} accepts back;
 * {@link #fromJson} reads a JSON value (e.g. from an Elasticsearch document) as the Java value of
 * a given CQL type, so {@code toJson(fromJson(type, v))} is the canonical form of {@code v} for
 * that column. Both directions are exact: decimals keep their scale, timestamps their milliseconds.
 */
@SuppressWarnings("unchecked")
public final class CqlJsonValues {

    private CqlJsonValues() {
    }

    /**
     * Why a JSON value cannot be kept exactly in a column of {@code type}, or null when it can: the
     * JSON kind must match (a string for text, a number for numeric types, true/false for boolean,
     * a non-empty array without nulls for list, set and vector, an object for map and UDT) and the
     * value must come back the same (no rounding to float, no integer overflow, no duplicate in a
     * set, no unknown UDT field). Strings for timestamp, date, time, uuid, inet, blob and duration
     * may be written differently and still mean the same value: they are accepted and come back in
     * their canonical form. A null value always fits (the caller decides what null means).
     */
    public static String misfit(DataType type, Object value) {
        return fit(type, value).misfit();
    }

    /** A JSON value read for a column: the driver's value, or why the value cannot be kept exactly. */
    public record Fit(Object value, String misfit) {
    }

    /** {@link #misfit} and, when the value fits, its driver value: one conversion for both. */
    public static Fit fit(DataType type, Object value) {
        if (value == null) {
            return new Fit(null, null);
        }
        try {
            String reason = kindMismatch(type, value);
            return reason == null ? new Fit(convert(type, value), null) : new Fit(null, reason);
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            return new Fit(null, "'" + abbreviate(value) + "' is not a valid " + cql(type)
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /** Why a value is not of the JSON kind {@code type} takes, or null; the type is named only in a reason. */
    private static String kindMismatch(DataType type, Object v) {
        switch (type.getProtocolCode()) {
            case ProtocolConstants.DataType.ASCII:
                return v instanceof String s && s.chars().allMatch(c -> c < 128) ? null : "not an ASCII string for " + cql(type);
            case ProtocolConstants.DataType.VARCHAR:
                return v instanceof String ? null : "not a string for " + cql(type);
            case ProtocolConstants.DataType.TINYINT:
            case ProtocolConstants.DataType.SMALLINT:
            case ProtocolConstants.DataType.INT:
            case ProtocolConstants.DataType.BIGINT:
            case ProtocolConstants.DataType.COUNTER:
            case ProtocolConstants.DataType.VARINT:
            case ProtocolConstants.DataType.DECIMAL:
                return v instanceof Number ? null : "not a number for " + cql(type);
            case ProtocolConstants.DataType.FLOAT:
                return v instanceof Number n && sameNumber(Float.toString(n.floatValue()), n) ? null
                        : "'" + abbreviate(v) + "' does not keep its value as a " + cql(type);
            case ProtocolConstants.DataType.DOUBLE:
                // a finite double is its own double; any other number must come back the same
                return v instanceof Double d && Double.isFinite(d)
                        || v instanceof Number n && sameNumber(Double.toString(n.doubleValue()), n) ? null
                        : "'" + abbreviate(v) + "' does not keep its value as a " + cql(type);
            case ProtocolConstants.DataType.BOOLEAN:
                return v instanceof Boolean ? null : "not true or false for " + cql(type);
            case ProtocolConstants.DataType.TIMESTAMP:
                return v instanceof String || v instanceof Number ? null : "not a date-time for " + cql(type);
            case ProtocolConstants.DataType.LIST:
                return elements(((ListType) type).getElementType(), v, false);
            case ProtocolConstants.DataType.SET:
                return elements(((SetType) type).getElementType(), v, true);
            case ProtocolConstants.DataType.MAP:
                if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
                    return "not a non-empty object for " + cql(type);
                }
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String reason = e.getValue() == null ? "null value of key " + e.getKey() + " in " + cql(type)
                            : misfit(((MapType) type).getValueType(), e.getValue());
                    if (reason != null) {
                        return reason;
                    }
                }
                return null;
            case ProtocolConstants.DataType.UDT:
                UserDefinedType udt = (UserDefinedType) type;
                if (!(v instanceof Map<?, ?> fields)) {
                    return "not an object for " + cql(type);
                }
                for (Map.Entry<?, ?> e : fields.entrySet()) {
                    int i = udt.firstIndexOf(com.datastax.oss.driver.api.core.CqlIdentifier.fromInternal(
                            String.valueOf(e.getKey())));
                    String reason = i < 0 ? "no field " + e.getKey() + " in " + cql(type)
                            : misfit(udt.getFieldTypes().get(i), e.getValue());
                    if (reason != null) {
                        return reason;
                    }
                }
                return null;
            case ProtocolConstants.DataType.TUPLE:
                return v instanceof List ? null : "not an array for " + cql(type);
            default:
                if (type instanceof VectorType vt) {
                    if (v instanceof Collection<?> l && l.size() != vt.getDimensions()) {
                        return "not " + vt.getDimensions() + " elements for " + cql(type);
                    }
                    return elements(vt.getElementType(), v, false);
                }
                // date, time, uuid, timeuuid, inet, blob, duration: written as strings
                return v instanceof String ? null : "not a string for " + cql(type);
        }
    }

    private static String cql(DataType type) {
        return type.asCql(false, true);
    }

    private static String elements(DataType element, Object v, boolean distinct) {
        // a list, or the set a value already read as a CQL set became
        if (!(v instanceof Collection<?> items) || items.isEmpty()) {
            return "not a non-empty array for " + cql(element) + " elements";
        }
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (Object item : items) {
            String reason = item == null ? "null element in an array of " + cql(element)
                    : misfit(element, item);
            if (reason != null) {
                return reason;
            }
            if (distinct && !seen.add(toJson(convert(element, item)))) {
                return "duplicate element '" + abbreviate(item) + "' for a set";
            }
        }
        return null;
    }

    private static boolean sameNumber(String stored, Number original) {
        try {
            return new BigDecimal(stored).compareTo(new BigDecimal(original.toString())) == 0;
        } catch (NumberFormatException infiniteOrNaN) {
            return false;
        }
    }

    public static Object toJson(Object value) {
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
        if (value instanceof java.util.Set<?> set) {
            java.util.Set<Object> out = new java.util.LinkedHashSet<>();
            set.forEach(v -> out.add(toJson(v)));
            return out;
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
        if (value instanceof com.datastax.oss.driver.api.core.data.CqlVector<?> v) {
            List<Object> out = new ArrayList<>();
            v.forEach(e -> out.add(toJson(e)));
            return out;
        }
        return value.toString();
    }

    /**
     * Reads a JSON value as the Java value the driver uses for {@code type}.
     *
     * @throws IllegalArgumentException naming the expected type when the value does not fit
     */
    public static Object fromJson(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return convert(type, value);
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + abbreviate(value) + "' is not a valid " + cql(type)
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    private static Object convert(DataType type, Object v) {
        int code = type.getProtocolCode();
        switch (code) {
            case ProtocolConstants.DataType.ASCII:
            case ProtocolConstants.DataType.VARCHAR:
                if (v instanceof Map || v instanceof Collection) {
                    throw new IllegalArgumentException("expected text");
                }
                return v.toString();
            case ProtocolConstants.DataType.TINYINT:
                return integral(v).byteValueExact();
            case ProtocolConstants.DataType.SMALLINT:
                return integral(v).shortValueExact();
            case ProtocolConstants.DataType.INT:
                return integral(v).intValueExact();
            case ProtocolConstants.DataType.BIGINT:
            case ProtocolConstants.DataType.COUNTER:
                return integral(v).longValueExact();
            case ProtocolConstants.DataType.VARINT:
                return integral(v);
            case ProtocolConstants.DataType.DECIMAL:
                return decimal(v);
            case ProtocolConstants.DataType.FLOAT:
                return v instanceof String s ? Float.parseFloat(s) : number(v).floatValue();
            case ProtocolConstants.DataType.DOUBLE:
                return v instanceof String s ? Double.parseDouble(s) : number(v).doubleValue();
            case ProtocolConstants.DataType.BOOLEAN:
                if (v instanceof Boolean b) {
                    return b;
                }
                if ("true".equalsIgnoreCase(v.toString()) || "false".equalsIgnoreCase(v.toString())) {
                    return Boolean.parseBoolean(v.toString());
                }
                throw new IllegalArgumentException("expected true or false");
            case ProtocolConstants.DataType.TIMESTAMP:
                return Timestamps.parse(v);
            case ProtocolConstants.DataType.DATE:
                return LocalDate.parse(text(v));
            case ProtocolConstants.DataType.TIME:
                return LocalTime.parse(text(v));
            case ProtocolConstants.DataType.UUID:
                return UUID.fromString(text(v));
            case ProtocolConstants.DataType.TIMEUUID:
                UUID u = UUID.fromString(text(v));
                if (u.version() != 1) {
                    throw new IllegalArgumentException("not a version 1 (time-based) UUID");
                }
                return u;
            case ProtocolConstants.DataType.INET:
                return inet(text(v));
            case ProtocolConstants.DataType.BLOB:
                String hex = text(v);
                if (!hex.startsWith("0x") && !hex.startsWith("0X")) {
                    throw new IllegalArgumentException("expected 0x-prefixed hex");
                }
                return Bytes.fromHexString(hex.toLowerCase(java.util.Locale.ROOT));
            case ProtocolConstants.DataType.DURATION:
                return CqlDuration.from(text(v));
            case ProtocolConstants.DataType.LIST:
                return convertAll(((ListType) type).getElementType(), array(v), new ArrayList<>());
            case ProtocolConstants.DataType.SET:
                return convertAll(((SetType) type).getElementType(), array(v), new java.util.LinkedHashSet<>());
            case ProtocolConstants.DataType.MAP:
                MapType mt = (MapType) type;
                Map<Object, Object> map = new LinkedHashMap<>();
                object(v).forEach((k, val) -> map.put(convert(mt.getKeyType(), k), fromJson(mt.getValueType(), val)));
                return map;
            case ProtocolConstants.DataType.UDT:
                UserDefinedType udt = (UserDefinedType) type;
                UdtValue value = udt.newValue();
                Map<?, ?> fields = object(v);
                for (int i = 0; i < udt.getFieldNames().size(); i++) {
                    Object f = fields.get(udt.getFieldNames().get(i).asInternal());
                    value = value.set(i, fromJson(udt.getFieldTypes().get(i), f),
                            (Class<Object>) javaClass(udt.getFieldTypes().get(i)));
                }
                return value;
            case ProtocolConstants.DataType.TUPLE:
                TupleType tt = (TupleType) type;
                List<?> items = array(v);
                if (items.size() != tt.getComponentTypes().size()) {
                    throw new IllegalArgumentException("expected " + tt.getComponentTypes().size() + " elements");
                }
                TupleValue tuple = tt.newValue();
                for (int i = 0; i < items.size(); i++) {
                    tuple = tuple.set(i, fromJson(tt.getComponentTypes().get(i), items.get(i)),
                            (Class<Object>) javaClass(tt.getComponentTypes().get(i)));
                }
                return tuple;
            default:
                if (type instanceof VectorType vt) {
                    List<Object> elements = convertAll(vt.getElementType(), array(v), new ArrayList<>());
                    return com.datastax.oss.driver.api.core.data.CqlVector.newInstance(elements);
                }
                throw new IllegalArgumentException("unsupported CQL type");
        }
    }

    private static Class<?> javaClass(DataType type) {
        return com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry.DEFAULT.codecFor(type)
                .getJavaType().getRawType();
    }

    private static <C extends Collection<Object>> C convertAll(DataType element, List<?> values, C out) {
        for (Object o : values) {
            out.add(fromJson(element, o));
        }
        return out;
    }

    private static BigInteger integral(Object v) {
        BigDecimal d = decimal(v);
        return d.toBigIntegerExact();
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Number || v instanceof String) {
            return new BigDecimal(v.toString().trim());
        }
        throw new IllegalArgumentException("expected a number");
    }

    private static Number number(Object v) {
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("expected a number");
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("expected a string");
    }

    private static List<?> array(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        throw new IllegalArgumentException("expected an array");
    }

    private static Map<?, ?> object(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException("expected an object");
    }

    /** A literal IPv4/IPv6 address only: never a host name (which would trigger a DNS lookup). */
    private static InetAddress inet(String s) {
        if (s.isEmpty() || !s.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("expected an IP address");
        }
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("expected an IP address");
        }
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}

package org.cassandraessync.cassandra;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where a record's fields live in a Cassandra row, and back. Every field is the column of the same
 * name (quoted: names are kept exactly), holding the value in the column's type when it fits
 * exactly ({@link CqlJsonValues#misfit}). Two more places keep what no typed column can:
 * <ul>
 * <li><b>JSON columns</b>: a {@code text} column whose Elasticsearch field is an object, nested,
 * flattened, geo or other structured type holds the value as JSON text;</li>
 * <li>the <b>overflow column</b> {@value #OVERFLOW}: a JSON object with the fields whose value does
 * not fit their column (a number in a text column, an array where the column holds a scalar, an
 * empty array, a null inside an array...), fields that have no column, and explicit nulls.</li>
 * </ul>
 * Reading a row gives back the same fields: the non-null columns (JSON columns parsed), then the
 * overflow's fields that no column holds.
 */
public class RowLayout {

    /** The column that keeps, as a JSON object, the fields that no typed column can hold exactly. */
    public static final String OVERFLOW = "_sync_overflow";

    private final Predicate<String> jsonColumn;
    private final ObjectMapper json;

    /**
     * @param jsonColumn whether the {@code text} column of this name holds JSON (its Elasticsearch
     *        field is structured)
     */
    public RowLayout(Predicate<String> jsonColumn, ObjectMapper json) {
        this.jsonColumn = jsonColumn;
        this.json = json;
    }

    /**
     * A record's fields placed in a row: the driver values by column (null clears the column), the
     * overflow's fields, and the fields that fit nowhere, with the reason.
     */
    public record Placement(Map<String, Object> columns, Map<String, Object> overflow, Map<String, String> misfits) {

        /** The fields that need the overflow column: everything but explicit nulls. */
        public boolean needsOverflow() {
            return overflow.values().stream().anyMatch(java.util.Objects::nonNull);
        }
    }

    /**
     * Places {@code fields} in a table of {@code columns}.
     *
     * @param cleared fields the replaced row has and the new version does not: their columns are nulled
     */
    public Placement place(Map<String, Object> fields, Map<String, DataType> columns, Collection<String> cleared) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> overflow = new LinkedHashMap<>();
        Map<String, String> misfits = new LinkedHashMap<>();
        for (String name : cleared) {
            if (columns.containsKey(name) && !fields.containsKey(name)) {
                values.put(name, null);
            }
        }
        fields.forEach((name, value) -> {
            DataType type = columns.get(name);
            String reason = type == null ? "no column " + name : null;
            if (type != null && value != null && isJson(name, type)) {
                values.put(name, write(value));
            } else if (type != null) {
                CqlJsonValues.Fit fit = CqlJsonValues.fit(type, value);
                reason = fit.misfit();
                values.put(name, fit.value());
            }
            if (value == null || reason != null) {
                overflow.put(name, value);
            }
            if (reason != null) {
                misfits.put(name, reason);
            }
        });
        if (columns.containsKey(OVERFLOW)) {
            values.put(OVERFLOW, overflow.isEmpty() ? null : write(overflow));
        } else {
            overflow.values().removeIf(java.util.Objects::isNull); // null and absent are the same without it
        }
        return new Placement(values, overflow, misfits);
    }

    /** Why {@code value} cannot be the column's value, or null. */
    public String misfit(String name, DataType type, Object value) {
        return isJson(name, type) ? null : CqlJsonValues.misfit(type, value);
    }

    /**
     * The form a field's value has when read back from its column: the same JSON for a JSON column,
     * the canonical form for a value that fits, the value itself when it goes to the overflow.
     */
    public Object canonical(String name, DataType type, Object value) {
        if (value == null || isJson(name, type)) {
            return value;
        }
        CqlJsonValues.Fit fit = CqlJsonValues.fit(type, value);
        return fit.misfit() != null ? value : CqlJsonValues.toJson(fit.value());
    }

    /**
     * The form the fields of a record from Elasticsearch take once written to {@code table} and
     * read back (see {@link #canonical}); fields without a column stay as they are. A missing
     * table fails the cycle, not the record.
     */
    public org.cassandraessync.record.CanonicalForm canonicalForm(CassandraTable table) {
        return fields -> {
            Map<String, DataType> columns = table.columns();
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                DataType type = columns.get(f.getKey());
                if (type != null) {
                    f.setValue(canonical(f.getKey(), type, f.getValue()));
                }
            }
        };
    }

    /**
     * Whether writing {@code fields} to a table of {@code columns} needs the overflow column: a
     * field without a column, a value its column cannot hold exactly, or an explicit null (kept
     * only there).
     */
    public boolean needsOverflow(Map<String, Object> fields, Map<String, DataType> columns) {
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            DataType type = columns.get(f.getKey());
            if (f.getValue() == null || type == null || misfit(f.getKey(), type, f.getValue()) != null) {
                return true;
            }
        }
        return false;
    }

    /** The record's fields from a row: non-null columns except {@code skipped}, then the overflow's. */
    public Map<String, Object> fields(Row row, Collection<String> skipped) {
        Map<String, Object> fields = new LinkedHashMap<>();
        String overflow = null;
        for (ColumnDefinition column : row.getColumnDefinitions()) {
            String name = column.getName().asInternal();
            if (name.equals(OVERFLOW)) {
                overflow = row.getString(column.getName());
            } else if (!skipped.contains(name) && !row.isNull(column.getName())) {
                fields.put(name, isJson(name, column.getType())
                        ? read(name, row.getString(column.getName()))
                        : CqlJsonValues.toJson(row.getObject(column.getName())));
            }
        }
        if (overflow != null) {
            Object parsed = read(OVERFLOW, overflow);
            if (!(parsed instanceof Map<?, ?> extra)) {
                throw new IllegalArgumentException("column " + OVERFLOW + " holds no JSON object");
            }
            extra.forEach((k, v) -> fields.putIfAbsent(String.valueOf(k), v));
        }
        return fields;
    }

    private boolean isJson(String name, DataType type) {
        return type.equals(DataTypes.TEXT) && jsonColumn.test(name);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Object read(String column, String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("column " + column + " holds no valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }

    /** The misfits as one line for a dead letter or a log. */
    public static String describe(Map<String, String> misfits) {
        List<String> parts = new ArrayList<>();
        misfits.forEach((name, reason) -> parts.add(name + ": " + reason));
        return String.join("; ", parts);
    }
}

package org.cassandraessync.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.DataType;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.cassandra.RowLayout;
import org.cassandraessync.elasticsearch.IndexMapping;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.state.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the two schemas able to hold each other's records. A column that exists only in Cassandra
 * gets an explicit Elasticsearch mapping (from {@link TypeMapping}) before its values are indexed;
 * a field that exists only in Elasticsearch becomes a Cassandra column of the type its mapping
 * implies, or is dropped, or makes the record a dead letter, as {@code sync.cassandra.schema-evolution}
 * says ({@code add-columns}, {@code ignore}, {@code reject}).
 */
public class SchemaEvolution {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolution.class);

    public enum Mode { ADD_COLUMNS, IGNORE, REJECT }

    private final CqlSession session;
    private final CassandraTable table;
    private final ElasticsearchClient elasticsearch;
    private final String index;
    private final IndexMapping indexMapping;
    private final RowLayout layout;
    private final Set<String> reserved;
    private final Mode mode;
    private final Set<String> mapped = new HashSet<>();
    /** Columns that could not be added (reported once; their fields go to the overflow column). */
    private final Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final DeadLetters deadLetters;

    public SchemaEvolution(CqlSession session, CassandraTable table, ElasticsearchClient elasticsearch, String index,
            IndexMapping indexMapping, RowLayout layout, Set<String> reserved, Mode mode, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.session = session;
        this.table = table;
        this.elasticsearch = elasticsearch;
        this.index = index;
        this.indexMapping = indexMapping;
        this.layout = layout;
        this.reserved = reserved;
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** Gives every Cassandra column that the index does not map yet an explicit mapping. */
    public synchronized void mapCassandraColumns() {
        Map<String, DataType> columns = table.columns();
        if (mapped.containsAll(columns.keySet())) {
            return;
        }
        try {
            indexMapping.refresh();
            Map<String, Property> missing = new LinkedHashMap<>();
            columns.forEach((name, type) -> {
                if (!reserved.contains(name) && !name.equals(RowLayout.OVERFLOW) && indexMapping.field(name) == null) {
                    missing.put(name, TypeMapping.elasticsearchFor(type));
                }
            });
            if (!missing.isEmpty()) {
                elasticsearch.indices().putMapping(m -> m.index(index).properties(missing));
                indexMapping.refresh();
                LOG.info("Mapped Cassandra-only columns in Elasticsearch index {}: {}", index, missing.keySet());
            }
            mapped.addAll(columns.keySet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the mapping of " + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * Before records from Elasticsearch are written to Cassandra, for fields the table lacks and
     * values no column can hold exactly: add-columns adds the columns (of the type the field's
     * mapping implies, see {@link TypeMapping#cassandraFor}) and, when some value still fits no
     * column, the overflow column; ignore drops those fields; reject sends those records to the
     * dead letters. Returns what to write.
     */
    public List<PendingWrite> prepareForCassandra(List<PendingWrite> writes) {
        if (writes.isEmpty()) {
            return writes;
        }
        if (mode == Mode.ADD_COLUMNS) {
            addColumnsFor(writes);
            return writes;
        }
        Map<String, DataType> columns = table.columns();
        boolean overflow = columns.containsKey(RowLayout.OVERFLOW);
        List<PendingWrite> result = new java.util.ArrayList<>(writes.size());
        for (PendingWrite w : writes) {
            Map<String, String> misfits = overflow ? Map.of()
                    : layout.place(w.record().fields(), columns, Set.of()).misfits();
            if (misfits.isEmpty()) {
                result.add(w);
            } else if (mode == Mode.IGNORE) {
                Map<String, Object> kept = new LinkedHashMap<>(w.record().fields());
                misfits.keySet().forEach(kept::remove);
                SyncRecord r = w.record();
                result.add(new PendingWrite(new SyncRecord(r.id(), r.lastModified(), kept, r.side(), r.stamp()),
                        w.replacing()));
            } else {
                deadLetters.reject(w.record().side(), w.record().id(), RowLayout.describe(misfits)
                        + " (sync.cassandra.schema-evolution=reject)", w.record().fields());
            }
        }
        return result;
    }

    private synchronized void addColumnsFor(List<PendingWrite> writes) {
        Map<String, DataType> columns = table.columns();
        Map<String, List<Object>> unknown = new LinkedHashMap<>();
        writes.forEach(w -> w.record().fields().forEach((name, value) -> {
            if (!columns.containsKey(name) && !refused.contains(name)) {
                unknown.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
            }
        }));
        // the mapping in hand may predate these documents (read less than a second ago, before they
        // were indexed); one read now holds every field of what the search returned
        indexMapping.refreshUnlessMapped(unknown.keySet());
        Map<String, DataType> toAdd = new LinkedHashMap<>();
        unknown.forEach((name, values) -> {
            DataType type = TypeMapping.cassandraFor(indexMapping.field(name), values);
            if (type != null) {
                toAdd.put(name, type);
            }
        });
        boolean added = addColumns(toAdd);
        Map<String, DataType> now = added ? table.columns() : columns;
        // also for explicit nulls: with the overflow column, {"note": null} comes back as it was
        if (!now.containsKey(RowLayout.OVERFLOW) && !refused.contains(RowLayout.OVERFLOW) && writes.stream()
                .anyMatch(w -> layout.needsOverflow(w.record().fields(), now))) {
            added |= addColumn(RowLayout.OVERFLOW, DataTypes.TEXT);
        }
        if (added) {
            session.checkSchemaAgreement();
        }
    }

    /**
     * Adds the columns in one schema change (each one takes Cassandra about a second), or one by one
     * when Cassandra refuses the statement, so that one refused column does not hold up the others.
     */
    private boolean addColumns(Map<String, DataType> columns) {
        if (columns.size() < 2) {
            return columns.entrySet().stream().anyMatch(c -> addColumn(c.getKey(), c.getValue()));
        }
        StringBuilder cql = new StringBuilder("ALTER TABLE " + table.qualifiedName() + " ADD IF NOT EXISTS (");
        columns.forEach((name, type) -> cql.append(CqlIdentifier.fromInternal(name).asCql(true)).append(' ')
                .append(type.asCql(false, true)).append(", "));
        cql.setLength(cql.length() - 2);
        try {
            session.execute(SimpleStatement.newInstance(cql.append(')').toString()).setTimeout(Duration.ofSeconds(60)));
            LOG.info("Added columns to {} for Elasticsearch-only fields: {}", table.qualifiedName(), describe(columns));
            return true;
        } catch (QueryValidationException e) {
            boolean added = false;
            for (Map.Entry<String, DataType> c : columns.entrySet()) {
                added |= addColumn(c.getKey(), c.getValue());
            }
            return added;
        }
    }

    private static String describe(Map<String, DataType> columns) {
        List<String> parts = new java.util.ArrayList<>();
        columns.forEach((name, type) -> parts.add(CqlIdentifier.fromInternal(name).asCql(true) + " "
                + type.asCql(false, true)));
        return String.join(", ", parts);
    }

    /**
     * {@code ALTER TABLE ... ADD "name" type}, the name quoted so it stays exactly as spelled. A
     * column Cassandra refuses (a permission missing, a name already used with another type) is
     * reported once; the field's values go to the overflow column.
     */
    private boolean addColumn(String name, DataType type) {
        String cql = "ALTER TABLE " + table.qualifiedName() + " ADD IF NOT EXISTS "
                + CqlIdentifier.fromInternal(name).asCql(true) + " " + type.asCql(false, true);
        try {
            session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
            LOG.info("Added column {} {} to {} for an Elasticsearch-only field", CqlIdentifier.fromInternal(name)
                    .asCql(true), type.asCql(false, true), table.qualifiedName());
            return true;
        } catch (QueryValidationException e) {
            refused.add(name);
            LOG.warn("Cassandra refused column {} {} in {} ({}); its values are kept in the {} column", CqlIdentifier
                    .fromInternal(name).asCql(true), type.asCql(false, true), table.qualifiedName(), e.getMessage(),
                    RowLayout.OVERFLOW);
            return false;
        }
    }
}

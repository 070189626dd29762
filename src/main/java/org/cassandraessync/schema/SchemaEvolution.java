package org.cassandraessync.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.DataType;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.cycle.PendingWrite;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
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
    private final Set<String> reserved;
    private final Mode mode;
    private final Set<String> mapped = new HashSet<>();
    private final DeadLetters deadLetters;

    public SchemaEvolution(CqlSession session, CassandraTable table, ElasticsearchClient elasticsearch, String index,
            Set<String> reserved, Mode mode, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.session = session;
        this.table = table;
        this.elasticsearch = elasticsearch;
        this.index = index;
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
            Map<String, Property> existing = ElasticsearchIndex.properties(elasticsearch, index);
            Map<String, Property> missing = new LinkedHashMap<>();
            columns.forEach((name, type) -> {
                if (!reserved.contains(name) && !existing.containsKey(name)) {
                    missing.put(name, TypeMapping.elasticsearchFor(type));
                }
            });
            if (!missing.isEmpty()) {
                elasticsearch.indices().putMapping(m -> m.index(index).properties(missing));
                LOG.info("Mapped Cassandra-only columns in Elasticsearch index {}: {}", index, missing.keySet());
            }
            mapped.addAll(columns.keySet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the mapping of " + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * Before records from Elasticsearch are written to Cassandra, for fields the table lacks:
     * add-columns adds them (when the field's mapping has a faithful CQL type); ignore drops them
     * from the records; reject sends those records to the dead letters. Returns what to write.
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
        List<PendingWrite> result = new java.util.ArrayList<>(writes.size());
        for (PendingWrite w : writes) {
            List<String> unknown = w.record().fields().keySet().stream().filter(f -> !columns.containsKey(f)).toList();
            if (unknown.isEmpty()) {
                result.add(w);
            } else if (mode == Mode.IGNORE) {
                Map<String, Object> kept = new LinkedHashMap<>(w.record().fields());
                unknown.forEach(kept::remove);
                SyncRecord r = w.record();
                result.add(new PendingWrite(new SyncRecord(r.id(), r.lastModified(), kept, r.side(), r.stamp()),
                        w.replacing()));
            } else {
                deadLetters.reject(w.record().side(), w.record().id(), "fields " + unknown + " have no Cassandra"
                        + " column (sync.cassandra.schema-evolution=reject)", w.record().fields());
            }
        }
        return result;
    }

    private synchronized void addColumnsFor(List<PendingWrite> writes) {
        Map<String, DataType> columns = table.columns();
        Set<String> unknown = new HashSet<>();
        writes.forEach(w -> w.record().fields().keySet().stream().filter(f -> !columns.containsKey(f))
                .forEach(unknown::add));
        if (unknown.isEmpty()) {
            return;
        }
        Map<String, Property> mapping;
        try {
            mapping = ElasticsearchIndex.properties(elasticsearch, index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mapping of " + index + ": " + e.getMessage(), e);
        }
        for (String field : unknown) {
            Optional<DataType> type = Optional.ofNullable(mapping.get(field))
                    .flatMap(p -> TypeMapping.cassandraFor(p._kind().jsonValue()));
            if (type.isEmpty() || !field.matches("[a-z][a-z0-9_]{0,47}")) {
                continue; // the write then fails for this record and it becomes a dead letter with Cassandra's reason
            }
            String cql = "ALTER TABLE " + table.qualifiedName() + " ADD IF NOT EXISTS " + field + " "
                    + type.get().asCql(false, true);
            session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
            LOG.info("Added column {} {} to {} for an Elasticsearch-only field", field,
                    type.get().asCql(false, true), table.qualifiedName());
        }
        session.checkSchemaAgreement();
    }
}

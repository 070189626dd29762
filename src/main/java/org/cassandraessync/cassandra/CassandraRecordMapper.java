package org.cassandraessync.cassandra;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Normalizes Cassandra rows to {@link SyncRecord}s and back. The columns are discovered from each
 * row's metadata, never declared: whatever the table holds travels.
 */
public class CassandraRecordMapper {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraRecordMapper.class);

    private final String idColumn;
    private final String timestampColumn;
    private final ObjectMapper json;

    public CassandraRecordMapper(String idColumn, String timestampColumn, ObjectMapper json) {
        this.idColumn = idColumn;
        this.timestampColumn = timestampColumn;
        this.json = json;
    }

    /** The row as a record, or null (with a warning) when it lacks an id or a timestamp. */
    public SyncRecord fromRow(Row row) {
        UUID id = row.getUuid(idColumn);
        Instant lastModified = row.getInstant(timestampColumn);
        if (id == null || lastModified == null) {
            LOG.warn("Skipping Cassandra row {}: no {} value", id, timestampColumn);
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (ColumnDefinition column : row.getColumnDefinitions()) {
            String name = column.getName().asInternal();
            if (!name.equals(idColumn) && !name.equals(timestampColumn)) {
                fields.put(name, CqlJsonValues.toJson(row.getObject(column.getName())));
            }
        }
        return new SyncRecord(id, Timestamps.parse(lastModified), fields, Side.CASSANDRA);
    }

    /**
     * The parameter of {@code INSERT ... JSON ? DEFAULT UNSET}: the row as JSON. Columns the record
     * does not carry are left unset, never nulled.
     */
    public List<Object> toInsertParameters(SyncRecord record) throws JsonProcessingException {
        Map<String, Object> row = new LinkedHashMap<>(record.fields());
        row.put(idColumn, record.id().toString());
        row.put(timestampColumn, Timestamps.format(record.lastModified()));
        return List.of(json.writeValueAsString(row));
    }
}

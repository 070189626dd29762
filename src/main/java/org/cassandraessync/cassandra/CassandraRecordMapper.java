package org.cassandraessync.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.TimestampRules;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.state.DeadLetters;

/**
 * Normalizes Cassandra rows to {@link SyncRecord}s and records to the parameters of the upsert.
 * The columns are discovered from each row's metadata, never declared: whatever the table holds
 * travels. A row that cannot be synced goes to the dead letters with its reason.
 */
public class CassandraRecordMapper {

    private final String idColumn;
    private final String timestampColumn;
    private final DeadLetters deadLetters;
    private final Duration maxClockSkew;
    private final Clock clock;
    private final RowLayout layout;
    private final java.util.Set<String> skipped;

    public CassandraRecordMapper(String idColumn, String timestampColumn, RowLayout layout, DeadLetters deadLetters,
            Duration maxClockSkew, Clock clock) {
        this.layout = layout;
        this.skipped = java.util.Set.of(idColumn, timestampColumn, CassandraTable.WRITE_TIME, CassandraTable.TOKEN);
        this.idColumn = idColumn;
        this.timestampColumn = timestampColumn;
        this.deadLetters = deadLetters;
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    /** The row as a record, or null when it was rejected to the dead letters. */
    public SyncRecord fromRow(Row row) {
        UUID id = row.getUuid(CassandraTable.quoted(idColumn));
        Map<String, Object> fields;
        try {
            fields = layout.fields(row, skipped);
        } catch (RuntimeException e) {
            // e.g. a JSON column that a CQL user filled with something else: this row only
            deadLetters.reject(Side.CASSANDRA, id, e.getMessage(), rawColumns(row));
            return null;
        }
        Instant lastModified = row.getInstant(CassandraTable.quoted(timestampColumn));
        String problem = lastModified == null ? "no " + timestampColumn + " value"
                : TimestampRules.tooFarInFuture(lastModified, clock, maxClockSkew, timestampColumn);
        if (problem != null) {
            Map<String, Object> rejected = new LinkedHashMap<>(fields);
            rejected.put(timestampColumn, lastModified == null ? null : Timestamps.format(lastModified));
            deadLetters.reject(Side.CASSANDRA, id, problem, rejected);
            return null;
        }
        SyncRecord.Stamp stamp = row.getColumnDefinitions().contains(CassandraTable.WRITE_TIME)
                && !row.isNull(CassandraTable.WRITE_TIME)
                ? SyncRecord.Stamp.cassandra(row.getLong(CassandraTable.WRITE_TIME)) : null;
        return new SyncRecord(id, Timestamps.parse(lastModified), fields, Side.CASSANDRA, stamp);
    }

    /** Every column as the driver reads it, for a dead letter about a row that cannot be read as a record. */
    private static Map<String, Object> rawColumns(Row row) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (ColumnDefinition column : row.getColumnDefinitions()) {
            columns.put(column.getName().asInternal(), String.valueOf(row.getObject(column.getName())));
        }
        return columns;
    }

    /**
     * The write time of a copy: the record's {@code last_modified}, but always above the write time
     * of the row it replaces, so Cassandra's last-write-wins keeps the newest version whatever the
     * writers' clocks.
     */
    public long writeTime(PendingWrite write) {
        long micros = TimeUnit.MILLISECONDS.toMicros(write.record().lastModified().toEpochMilli());
        SyncRecord replacing = write.replacing();
        if (replacing != null && replacing.stamp() != null && replacing.stamp().writeTimeMicros() >= micros) {
            micros = replacing.stamp().writeTimeMicros() + 1;
        }
        return micros;
    }
}

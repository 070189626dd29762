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
import org.cassandraessync.cycle.PendingWrite;
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

    public CassandraRecordMapper(String idColumn, String timestampColumn, DeadLetters deadLetters,
            Duration maxClockSkew, Clock clock) {
        this.idColumn = idColumn;
        this.timestampColumn = timestampColumn;
        this.deadLetters = deadLetters;
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    /** The row as a record, or null when it was rejected to the dead letters. */
    public SyncRecord fromRow(Row row) {
        UUID id = row.getUuid(idColumn);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (ColumnDefinition column : row.getColumnDefinitions()) {
            String name = column.getName().asInternal();
            if (!name.equals(idColumn) && !name.equals(timestampColumn) && !name.equals(CassandraTable.WRITE_TIME)) {
                fields.put(name, CqlJsonValues.toJson(row.getObject(column.getName())));
            }
        }
        Instant lastModified = row.getInstant(timestampColumn);
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

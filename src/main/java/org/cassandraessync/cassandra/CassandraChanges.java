package org.cassandraessync.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.time.Instant;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.PageIterator;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;

/**
 * Reads the Cassandra side of a cycle's window in pages of {@code sync.batch-size} records: a range
 * query on the storage-attached index of the timestamp column ({@code WHERE last_modified > ?}),
 * so the cost follows the number of changes, not the size of the table. The first cycle (no
 * checkpoint), or a table without that index (e.g. Cassandra 4), reads the whole table instead,
 * still page by page. The driver pages the result itself; only one page is held at a time.
 * The range query selects only the id, timestamp and write time: rows whose version is already in
 * sync (re-read by each cycle's overlap, see {@link KnownVersions}) cost
 * no more; the content of the others is read by id ({@link CassandraLookup#read}).
 *
 * <p>Why not camel-cassandraql here: its result strategies load the whole result (ALL) or cut it
 * (LIMIT_n); neither pages.
 */
public class CassandraChanges {

    private final CqlSession session;
    private final CassandraTable table;
    private final CassandraRecordMapper mapper;
    private final CassandraLookup contents;
    private final String idColumn;
    private final java.util.concurrent.Executor readAhead;
    private final String timestampColumn;
    private final int batchSize;
    private final Duration maxClockSkew;

    public CassandraChanges(CqlSession session, CassandraTable table, CassandraRecordMapper mapper,
            CassandraLookup contents, java.util.concurrent.Executor readAhead, String idColumn, String timestampColumn,
            int batchSize, Duration maxClockSkew) {
        this.maxClockSkew = maxClockSkew;
        this.contents = contents;
        this.idColumn = idColumn;
        this.session = session;
        this.table = table;
        this.mapper = mapper;
        this.readAhead = readAhead;
        this.timestampColumn = timestampColumn;
        this.batchSize = batchSize;
    }

    /**
     * The changes of a cycle's Cassandra window, one page of records at a time; rows that
     * {@code known} says are in sync already are counted there and skipped.
     */
    public Iterator<List<SyncRecord>> pages(SyncWindow window, KnownVersions known) {
        boolean byIndex = !window.isFull() && table.hasTimestampIndex();
        String ts = CassandraTable.quoted(timestampColumn);
        // by index: only what tells a version (id, timestamp, write time); the rows' content is read
        // afterwards for the versions not already in sync
        String select = byIndex ? CassandraTable.quoted(idColumn) + ", " + ts + ", writetime(" + ts + ") AS "
                + CassandraTable.WRITE_TIME : table.selectList();
        String cql = "SELECT " + select + " FROM " + table.qualifiedName() + (byIndex ? " WHERE " + ts + " > ?" : "");
        SimpleStatement statement = SimpleStatement.newInstance(cql).setPageSize(batchSize)
                .setTimeout(Duration.ofSeconds(30));
        if (byIndex) {
            statement = statement.setPositionalValues(List.of(window.after()));
        }
        ResultSet rows = session.execute(statement);
        // a full scan without the index still only passes on what changed inside the window
        Instant after = window.after();
        Iterator<Row> it = rows.iterator();
        return new PageIterator<>(readAhead) {
            @Override
            protected List<SyncRecord> fetchNext() {
                if (!it.hasNext()) {
                    return null;
                }
                if (byIndex) {
                    List<UUID> changed = new ArrayList<>(batchSize);
                    for (int n = 0; n < batchSize && it.hasNext(); n++) {
                        Row row = it.next();
                        if (!nextCycles(row, window) && !alreadySynced(row, known)) {
                            changed.add(row.getUuid(0));
                        }
                    }
                    known.fetched(Side.CASSANDRA, changed.size());
                    return contents.read(changed);
                }
                List<SyncRecord> page = new ArrayList<>(batchSize);
                int n = 0;
                for (; n < batchSize && it.hasNext(); n++) {
                    SyncRecord r = mapper.fromRow(it.next());
                    if (r != null && (after == null || r.lastModified().isAfter(after))) {
                        page.add(r);
                    }
                }
                known.fetched(Side.CASSANDRA, n);
                return page;
            }
        };
    }

    /**
     * About how many rows the window holds, for progress lines: the whole table from Cassandra's
     * size estimates (this node's share of the ring scaled to the whole ring; refreshed by
     * Cassandra every few minutes), a window with a count over the timestamp index. Empty when
     * unknown.
     */
    public java.util.OptionalLong estimate(SyncWindow window) {
        if (!window.isFull()) {
            if (!table.hasTimestampIndex()) {
                return java.util.OptionalLong.empty();
            }
            Row count = session.execute(SimpleStatement.newInstance("SELECT COUNT(*) FROM " + table.qualifiedName()
                    + " WHERE " + CassandraTable.quoted(timestampColumn) + " > ?", window.after())
                    .setTimeout(Duration.ofMinutes(1))).one();
            return count == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(count.getLong(0));
        }
        double partitions = 0;
        double ringShare = 0;
        for (Row r : session.execute(SimpleStatement.newInstance("SELECT range_start, range_end, partitions_count"
                + " FROM system.size_estimates WHERE keyspace_name = ? AND table_name = ?",
                table.keyspace(), table.name()))) {
            partitions += r.getLong(2);
            // Murmur3 tokens: the range's share of the 2^64 ring (a wrapping range counts the rest)
            double span = Long.parseLong(r.getString(1)) / 2.0 - Long.parseLong(r.getString(0)) / 2.0;
            ringShare += (span <= 0 ? span + Math.pow(2, 63) : span) / Math.pow(2, 63);
        }
        // a table loaded minutes ago has no estimate yet (Cassandra refreshes them every few minutes)
        return ringShare <= 0 || partitions <= 0 ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(Math.round(partitions / Math.min(1, ringShare)));
    }

    /** True when the table has no row at all. */
    public boolean isEmpty() {
        return session.execute(SimpleStatement.newInstance("SELECT " + CassandraTable.quoted(idColumn) + " FROM "
                + table.qualifiedName() + " LIMIT 1").setTimeout(Duration.ofSeconds(10))).one() == null;
    }

    /** A row (id, timestamp, write time) written after the window: the next cycle reads it. */
    private boolean nextCycles(Row row, SyncWindow window) {
        return !row.isNull(1) && window.belongsToNextCycle(row.getInstant(1).toEpochMilli(), maxClockSkew);
    }

    /** A row (id, timestamp, write time) that is a version already in sync on both stores. */
    private static boolean alreadySynced(Row row, KnownVersions known) {
        if (row.isNull(0) || row.isNull(1) || row.isNull(2)) {
            return false;
        }
        return known.alreadySynced(Side.CASSANDRA, row.getUuid(0), row.getInstant(1).toEpochMilli(),
                SyncRecord.Stamp.cassandra(row.getLong(2)));
    }
}

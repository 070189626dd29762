package org.cassandraessync.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

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
 * still page by page. A window is read as {@value #WINDOW_SLICES} token ranges side by side
 * ({@link SlicedRows}), each paged by the driver; at most one page per range is held.
 * A window is read in up to two ranges ({@link SyncWindow#ranges}): the fresh changes select whole
 * rows; the re-read of versions now as old as the overlap selects only the id, timestamp and write
 * time, so that rows whose version is already in sync (see {@link KnownVersions}) cost no more, and
 * the content of the others is read by id ({@link CassandraLookup#read}). A row stamped after the
 * cycle's start is left to the next cycle, by its metadata too. Every read also selects the rows'
 * tokens, so that each page says where it ends in token order ({@link TokenPosition}) and a long
 * cycle can go on from there.
 *
 * <p>Why not camel-cassandraql here: its result strategies load the whole result (ALL) or cut it
 * (LIMIT_n); neither pages.
 */
public class CassandraChanges {

    /**
     * Token ranges of a window read side by side (see {@link SlicedRows}): a query over the index
     * is served one token range and one row after the other, by one of the node's read threads.
     */
    static final int WINDOW_SLICES = 4;

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
        return pages(window, known, null);
    }

    /**
     * As {@link #pages(SyncWindow, KnownVersions)}, going on from {@code position}, one its reader
     * gave ({@link TokenPosition}): each page says where it ends in token order.
     */
    public Iterator<List<SyncRecord>> pages(SyncWindow window, KnownVersions known, String position) {
        TokenPosition resume = TokenPosition.parse(position);
        if (window.isFull() || !table.hasTimestampIndex()) {
            long after = resume == null ? Long.MIN_VALUE : scanPosition(resume);
            return scan(SimpleStatement.newInstance("SELECT " + tokenAndRow() + " FROM " + table.qualifiedName()
                    + (resume == null ? "" : " WHERE " + token() + " > ?"), resume == null ? new Object[0]
                    : new Object[] {after}), window, known);
        }
        if (resume != null && resume.isScan()) {
            throw new IllegalArgumentException("the window was read as a scan of the table, now by the timestamp"
                    + " index: its position " + position + " does not apply");
        }
        List<SyncWindow.Range> ranges = window.ranges();
        return new PageIterator<>(readAhead) {
            private SlicedRows rows;
            /** The window's range read now (its place in {@code ranges}); -1 before the first. */
            private int range = resume == null ? -1 : resume.range() - 1;
            /** Whether the query selects whole rows (the fresh range) or only what tells a version. */
            private boolean wholeRows;

            @Override
            protected List<SyncRecord> fetchNext() {
                List<Row> batch = List.of();
                while (batch.isEmpty()) {
                    if (rows == null) {
                        if (++range >= ranges.size()) {
                            return null;
                        }
                        SyncWindow.Range r = ranges.get(range);
                        boolean whole = r.isOpenEnded();
                        wholeRows = whole;
                        rows = new SlicedRows(session, bounds(resume, range),
                                (from, to) -> rangeQuery(r, whole, from, to));
                    }
                    batch = rows.next(batchSize);
                    if (batch.isEmpty()) {
                        rows = null;
                    }
                }
                endsAt(TokenPosition.sliced(range, rows.positions()));
                List<UUID> changed = new ArrayList<>(batch.size());
                List<SyncRecord> page = new ArrayList<>(batch.size());
                for (Row row : batch) {
                    if (nextCycles(row, window) || alreadySynced(row, known)) {
                        continue;
                    }
                    if (!wholeRows) {
                        changed.add(row.getUuid(CassandraTable.quoted(idColumn)));
                    } else {
                        SyncRecord r = mapper.fromRow(row);
                        if (r != null) {
                            page.add(r);
                        }
                    }
                }
                known.fetched(Side.CASSANDRA, wholeRows ? batch.size() : changed.size());
                return wholeRows ? page : contents.read(changed);
            }
        };
    }

    /**
     * One range of the window over the timestamp index, within the token range (from, to]. The
     * fresh (open-ended) range is mostly new versions: whole rows, in one read. A re-read range is
     * mostly versions already in sync: only what tells a version (id, timestamp, write time), the
     * content of the others read by id.
     */
    private SimpleStatement rangeQuery(SyncWindow.Range range, boolean wholeRows, long from, long to) {
        String ts = CassandraTable.quoted(timestampColumn);
        String select = wholeRows ? tokenAndRow() : token() + " AS " + CassandraTable.TOKEN + ", "
                + CassandraTable.quoted(idColumn) + ", " + ts + ", writetime(" + ts + ") AS " + CassandraTable.WRITE_TIME;
        String cql = "SELECT " + select + " FROM " + table.qualifiedName() + " WHERE " + inTokenRange() + " AND " + ts
                + " > ?" + (range.isOpenEnded() ? "" : " AND " + ts + " <= ?");
        List<Object> bounds = range.isOpenEnded() ? List.of(from, to, range.after())
                : List.of(from, to, range.after(), range.upTo());
        return SimpleStatement.newInstance(cql).setPositionalValues(bounds).setPageSize(batchSize)
                .setTimeout(Duration.ofSeconds(30));
    }

    /** The condition of a token range (from, to], bound as its first two values. */
    private String inTokenRange() {
        return token() + " > ? AND " + token() + " <= ?";
    }

    private String token() {
        return "token(" + CassandraTable.quoted(idColumn) + ")";
    }

    /** The row's token, then every column (and the timestamp's write time). */
    private String tokenAndRow() {
        return token() + " AS " + CassandraTable.TOKEN + ", " + table.selectList();
    }

    /**
     * The token ranges (from, to] of the window's range {@code range}: the ring cut into
     * {@value #WINDOW_SLICES}, each from where {@code resume} left it when it stood in this range.
     */
    private static List<long[]> bounds(TokenPosition resume, int range) {
        List<long[]> ring = SlicedRows.ring(WINDOW_SLICES);
        if (resume == null || resume.range() != range) {
            return ring;
        }
        if (resume.tokens().length != ring.size()) {
            throw new IllegalArgumentException("a position of " + resume.tokens().length + " token ranges, read now"
                    + " as " + ring.size());
        }
        for (int i = 0; i < ring.size(); i++) {
            ring.get(i)[0] = Math.max(ring.get(i)[0], resume.tokens()[i]);
        }
        return ring;
    }

    private static long scanPosition(TokenPosition resume) {
        if (!resume.isScan()) {
            throw new IllegalArgumentException("the window was read by the timestamp index, now as a scan of the"
                    + " table: its position does not apply");
        }
        return resume.tokens()[0];
    }

    /**
     * The whole table as {@code slices} token ranges of about equal size, each read page by page in
     * token order: {@code verify} reads them side by side. Together they hold every row once.
     */
    public List<Iterator<List<SyncRecord>>> slices(int slices, KnownVersions known) {
        SyncWindow everything = new SyncWindow(null, java.time.Instant.now());
        String cql = "SELECT " + tokenAndRow() + " FROM " + table.qualifiedName() + " WHERE " + inTokenRange();
        List<Iterator<List<SyncRecord>>> ranges = new ArrayList<>(slices);
        for (long[] bounds : SlicedRows.ring(slices)) {
            ranges.add(scan(SimpleStatement.newInstance(cql, bounds[0], bounds[1]), everything, known));
        }
        return ranges;
    }

    private Iterator<List<SyncRecord>> scan(SimpleStatement select, SyncWindow window, KnownVersions known) {
        Iterator<Row> rows = session.execute(select.setPageSize(batchSize).setTimeout(Duration.ofSeconds(30)))
                .iterator();
        return new PageIterator<>(readAhead) {
            @Override
            protected List<SyncRecord> fetchNext() {
                if (!rows.hasNext()) {
                    return null;
                }
                List<SyncRecord> page = new ArrayList<>(batchSize);
                int n = 0;
                Row row = null;
                for (; n < batchSize && rows.hasNext(); n++) {
                    row = rows.next();
                    SyncRecord r = mapper.fromRow(row);
                    if (r != null && (window.isFull() || window.covers(r.lastModified()))) {
                        page.add(r);
                    }
                }
                if (row != null) {
                    endsAt(TokenPosition.scan(row.getLong(CassandraTable.TOKEN)));
                }
                known.fetched(Side.CASSANDRA, n);
                return page;
            }

            @Override
            public java.util.OptionalDouble shareBefore(String position) {
                return TokenPosition.shareOfRing(position);
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

    /** A row written after the window: the next cycle reads it. */
    private boolean nextCycles(Row row, SyncWindow window) {
        String ts = CassandraTable.quoted(timestampColumn);
        return !row.isNull(ts) && window.belongsToNextCycle(row.getInstant(ts).toEpochMilli(), maxClockSkew);
    }

    /** A row whose id, timestamp and write time are a version already in sync on both stores. */
    private boolean alreadySynced(Row row, KnownVersions known) {
        String id = CassandraTable.quoted(idColumn);
        String ts = CassandraTable.quoted(timestampColumn);
        if (row.isNull(id) || row.isNull(ts) || row.isNull(CassandraTable.WRITE_TIME)) {
            return false;
        }
        return known.alreadySynced(Side.CASSANDRA, row.getUuid(id), row.getInstant(ts).toEpochMilli(),
                SyncRecord.Stamp.cassandra(row.getLong(CassandraTable.WRITE_TIME)));
    }
}

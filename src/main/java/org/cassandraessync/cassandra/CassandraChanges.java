package org.cassandraessync.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.cycle.SyncWindow;
import org.cassandraessync.record.PageIterator;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;

/**
 * Reads the Cassandra side of a cycle's window in pages of {@code sync.batch-size} records: a range
 * query on the storage-attached index of the timestamp column ({@code WHERE last_modified > ?}),
 * so the cost follows the number of changes, not the size of the table. The first cycle (no
 * checkpoint), or a table without that index (e.g. Cassandra 4), reads the whole table instead,
 * still page by page. The driver pages the result itself; only one page is held at a time.
 *
 * <p>Why not camel-cassandraql here: its result strategies load the whole result (ALL) or cut it
 * (LIMIT_n); neither pages.
 */
public class CassandraChanges {

    private final CqlSession session;
    private final CassandraTable table;
    private final CassandraRecordMapper mapper;
    private final SyncCycle cycle;
    private final String timestampColumn;
    private final int batchSize;

    public CassandraChanges(CqlSession session, CassandraTable table, CassandraRecordMapper mapper, SyncCycle cycle,
            String timestampColumn, int batchSize) {
        this.session = session;
        this.table = table;
        this.mapper = mapper;
        this.cycle = cycle;
        this.timestampColumn = timestampColumn;
        this.batchSize = batchSize;
    }

    /** The changes of the current cycle's Cassandra window, one page of records at a time. */
    public Iterator<List<SyncRecord>> pages() {
        SyncWindow window = cycle.window(Side.CASSANDRA);
        boolean byIndex = !window.isFull() && table.hasTimestampIndex();
        String cql = "SELECT " + table.selectList() + " FROM " + table.qualifiedName()
                + (byIndex ? " WHERE " + CassandraTable.quoted(timestampColumn) + " > ?" : "");
        SimpleStatement statement = SimpleStatement.newInstance(cql).setPageSize(batchSize)
                .setTimeout(Duration.ofSeconds(30));
        if (byIndex) {
            statement = statement.setPositionalValues(List.of(window.after()));
        }
        ResultSet rows = session.execute(statement);
        // a full scan without the index still only passes on what changed inside the window
        java.time.Instant after = window.after();
        Iterator<Row> it = rows.iterator();
        return new PageIterator<>() {
            @Override
            protected List<SyncRecord> fetchNext() {
                if (!it.hasNext()) {
                    return null;
                }
                List<SyncRecord> page = new ArrayList<>(batchSize);
                for (int n = 0; n < batchSize && it.hasNext(); n++) {
                    SyncRecord r = mapper.fromRow(it.next());
                    if (r != null && (after == null || r.lastModified().isAfter(after))) {
                        page.add(r);
                    }
                }
                return page;
            }
        };
    }
}

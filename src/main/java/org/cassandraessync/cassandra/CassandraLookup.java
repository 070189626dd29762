package org.cassandraessync.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;

/**
 * The current Cassandra copies of a page of records (or the content of changed rows): one prepared single-partition read per id,
 * issued asynchronously with bounded concurrency (cheaper for the cluster than a large IN).
 */
public class CassandraLookup {

    static final int MAX_IN_FLIGHT = 64;

    private final CqlSession session;
    private final CassandraTable table;
    private final CassandraRecordMapper mapper;
    private final String idColumn;

    public CassandraLookup(CqlSession session, CassandraTable table, CassandraRecordMapper mapper, String idColumn) {
        this.session = session;
        this.table = table;
        this.mapper = mapper;
        this.idColumn = idColumn;
    }

    /** The current copies of these records (counterparts of another store's changes). */
    public List<SyncRecord> find(Collection<UUID> ids) {
        List<SyncRecord> found = new ArrayList<>();
        for (Row row : rows(ids)) {
            SyncRecord r = mapper.fromRow(row);
            found.add(r != null ? r : SyncRecord.unusable(row.getUuid(CassandraTable.quoted(idColumn)),
                    Side.CASSANDRA, row.isNull(CassandraTable.WRITE_TIME) ? null
                            : SyncRecord.Stamp.cassandra(row.getLong(CassandraTable.WRITE_TIME))));
        }
        return found;
    }

    /**
     * The current content of rows found changed; a row that cannot be synced is reported to the
     * dead letters by the mapper and left out.
     */
    public List<SyncRecord> read(Collection<UUID> ids) {
        List<SyncRecord> records = new ArrayList<>(ids.size());
        for (Row row : rows(ids)) {
            SyncRecord r = mapper.fromRow(row);
            if (r != null) {
                records.add(r);
            }
        }
        return records;
    }

    private List<Row> rows(Collection<UUID> ids) {
        PreparedStatement select = session.prepare("SELECT " + table.selectList() + " FROM " + table.qualifiedName()
                + " WHERE " + CassandraTable.quoted(idColumn) + " = ?");
        Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
        List<CompletableFuture<Row>> reads = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            permits.acquireUninterruptibly();
            CompletionStage<AsyncResultSet> read = session.executeAsync(select.bind(id)
                    .setTimeout(Duration.ofSeconds(10)));
            reads.add(read.<Row>thenApply(AsyncResultSet::one).whenComplete((r, e) -> permits.release())
                    .toCompletableFuture());
        }
        List<Row> found = new ArrayList<>(ids.size());
        for (CompletableFuture<Row> read : reads) {
            Row row = read.join();
            if (row != null) {
                found.add(row);
            }
        }
        return found;
    }
}

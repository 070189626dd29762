package org.cassandraessync.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

import java.util.Map;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.codec.CodecNotFoundException;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import org.cassandraessync.record.SyncRecord;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.state.DeadLetters;

/**
 * Writes winners to Cassandra, asynchronously with bounded concurrency (the permits are shared by
 * consecutive pages, so a page's writes overlap the reading of the next), in one of two modes:
 * <ul>
 * <li>timestamp (default): {@code INSERT ... USING TIMESTAMP ?} of the record's columns with typed
 * values, the write time above the one of the row it replaces (see
 * {@link CassandraRecordMapper#writeTime});</li>
 * <li>lwt: a lightweight transaction conditional on the replaced row being exactly the one that
 * was compared ({@code IF last_modified = ?}, or {@code IF NOT EXISTS} when there was none); a
 * row changed in between is left alone and the record is decided again next cycle.</li>
 * </ul>
 * A record Cassandra refuses (a statement it cannot prepare, a value or a row size it refuses, a column the table does not
 * have) goes to the dead letters; an unavailable cluster fails the cycle, which is then retried.
 *
 * <p>Why not camel-cassandraql here: it runs one synchronous statement per exchange, which caps
 * throughput far below what the cluster takes.
 */
public class CassandraWriter {

    private final CqlSession session;
    private final CassandraTable table;
    private final CassandraRecordMapper mapper;
    private final WriteOutcomes outcomes;
    private final RowLayout layout;
    private final DeadLetters deadLetters;
    private final Semaphore permits;
    private final boolean lightweightTransactions;
    private final String idColumn;
    private final String timestampColumn;
    private static final int MAX_PREPARED = 256;
    /** The INSERT of each set of column names, with its names in bind order; IF NOT EXISTS ones apart. */
    private final Map<java.util.Set<String>, Insert> timestampedInserts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<java.util.Set<String>, Insert> newRowInserts = new java.util.concurrent.ConcurrentHashMap<>();
    /** The codec of each column, for the Java class its values had (resolved once, not per value). */
    private final Map<String, TypeCodec<?>> codecs = new java.util.concurrent.ConcurrentHashMap<>();

    private record Insert(List<String> names, PreparedStatement statement) {
    }

    public CassandraWriter(CqlSession session, CassandraTable table, CassandraRecordMapper mapper, RowLayout layout,
            WriteOutcomes outcomes, DeadLetters deadLetters, int maxInFlight, boolean lightweightTransactions, String idColumn,
            String timestampColumn) {
        this.layout = layout;
        this.lightweightTransactions = lightweightTransactions;
        this.idColumn = idColumn;
        this.timestampColumn = timestampColumn;
        this.session = session;
        this.table = table;
        this.mapper = mapper;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.permits = new Semaphore(maxInFlight);
    }

    public void write(List<PendingWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>(writes.size());
        Map<String, DataType> columns = table.columns();
        for (PendingWrite w : writes) {
            Statement<?> statement;
            SyncRecord.Stamp stamp = null; // the write time the new copy gets, when it is known
            try {
                Map<String, Object> values = values(w, columns);
                if (lightweightTransactions) {
                    statement = conditional(w, values, columns);
                } else {
                    long writeTime = mapper.writeTime(w);
                    statement = insert(w.record(), values, columns, writeTime);
                    stamp = SyncRecord.Stamp.cassandra(writeTime);
                }
            } catch (IllegalArgumentException | InvalidQueryException | CodecNotFoundException e) {
                // this record's values or names (a statement Cassandra cannot prepare): this record only
                deadLetters.reject(w.record().side(), w.record().id(), "Cassandra cannot take the record: "
                        + e.getMessage(), w.record().fields());
                continue;
            }
            SyncRecord.Stamp written = stamp;
            permits.acquireUninterruptibly();
            pending.add(session.executeAsync(statement.setTimeout(Duration.ofSeconds(10)))
                    .toCompletableFuture()
                    .<Void>handle((rs, error) -> {
                        permits.release();
                        if (error == null && !rs.wasApplied()) {
                            outcomes.conflict(w);
                        } else if (error == null) {
                            outcomes.written(w, written);
                        } else if (unwrap(error) instanceof InvalidQueryException invalid) {
                            deadLetters.reject(w.record().side(), w.record().id(),
                                    "Cassandra refused the record: " + invalid.getMessage(), w.record().fields());
                        } else {
                            throw new CompletionException(unwrap(error));
                        }
                        return null;
                    }));
        }
        // the cycle goes on with the next page; it waits for these before reading the other side and committing
        outcomes.inFlight(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
    }

    /**
     * The column values of a write, by column name: each field in its column or in the overflow
     * column ({@link RowLayout}); the columns of fields the replaced row has and the winner lacks are
     * cleared, so that the row is the winner and nothing else.
     */
    private Map<String, Object> values(PendingWrite w, Map<String, DataType> columns) {
        java.util.Set<String> cleared = w.replacing() == null ? java.util.Set.of() : w.replacing().fields().keySet();
        RowLayout.Placement placement = layout.place(w.record().fields(), columns, cleared);
        if (placement.needsOverflow() && !columns.containsKey(RowLayout.OVERFLOW)) {
            throw new IllegalArgumentException(RowLayout.describe(placement.misfits()) + " (and the table has no "
                    + RowLayout.OVERFLOW + " column to keep them)");
        }
        return placement.columns();
    }

    /**
     * {@code INSERT INTO t (id, last_modified, <the columns>) VALUES (...) USING TIMESTAMP ?}
     * with typed values, for the columns of {@link #values}: the others are left as they are.
     * One prepared statement per set of column names (records of one table mostly share one).
     */
    private Statement<?> insert(SyncRecord record, Map<String, Object> values, Map<String, DataType> columns,
            Long writeTime) {
        Map<java.util.Set<String>, Insert> inserts = writeTime == null ? newRowInserts : timestampedInserts;
        // looked up by the value map's own key set (equal to any set of the same names): no copy per record
        Insert insert = inserts.get(values.keySet());
        if (insert == null) {
            if (inserts.size() > MAX_PREPARED) {
                inserts.clear(); // records with ever-new field sets: keep the cache bounded
            }
            List<String> names = List.copyOf(new java.util.TreeSet<>(values.keySet()));
            StringBuilder cql = new StringBuilder("INSERT INTO " + table.qualifiedName() + " (")
                    .append(CassandraTable.quoted(idColumn)).append(", ").append(CassandraTable.quoted(timestampColumn));
            names.forEach(name -> cql.append(", ").append(CassandraTable.quoted(name)));
            cql.append(") VALUES (?, ?").append(", ?".repeat(names.size())).append(")")
                    .append(writeTime == null ? " IF NOT EXISTS" : " USING TIMESTAMP ?");
            // outside a map function: a statement Cassandra refuses fails this record only
            insert = new Insert(names, session.prepare(cql.toString()));
            inserts.put(java.util.Set.copyOf(names), insert);
        }
        BoundStatementBuilder b = insert.statement().boundStatementBuilder();
        b.setUuid(0, record.id());
        b.setInstant(1, record.lastModified());
        int i = bindValues(b, 2, insert.names(), values, columns);
        if (writeTime != null) {
            b.setLong(i, writeTime);
        }
        return b.build();
    }

    /** Binds the column values, in {@code names} order, from {@code index} on; answers the next index. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private int bindValues(BoundStatementBuilder b, int index, List<String> names, Map<String, Object> values,
            Map<String, DataType> columns) {
        int i = index;
        for (String n : names) {
            Object value = values.get(n);
            if (value == null) {
                b.setToNull(i++);
            } else {
                b.set(i++, value, (TypeCodec) codec(n, columns.get(n), value));
            }
        }
        return i;
    }

    /**
     * The codec for a column's value: the one found for the column before when it takes this value's
     * class (a column's values are converted to one Java type, so nearly always), else looked up.
     */
    private TypeCodec<?> codec(String column, DataType type, Object value) {
        TypeCodec<?> known = codecs.get(column);
        if (known != null && known.getCqlType().equals(type) && known.accepts(value)) {
            return known;
        }
        TypeCodec<?> found = CodecRegistry.DEFAULT.codecFor(type, value);
        codecs.put(column, found);
        return found;
    }

    /** The lightweight transaction for one write: typed values, conditional on the compared copy. */
    private Statement<?> conditional(PendingWrite w, Map<String, Object> values, Map<String, DataType> columns) {
        SyncRecord record = w.record();
        SyncRecord replacing = w.replacing();
        if (replacing == null) {
            return insert(record, values, columns, null);
        }
        List<String> names = new ArrayList<>(values.keySet());
        StringBuilder cql = new StringBuilder("UPDATE " + table.qualifiedName() + " SET ")
                .append(CassandraTable.quoted(timestampColumn)).append(" = ?");
        names.forEach(n -> cql.append(", ").append(CassandraTable.quoted(n)).append(" = ?"));
        cql.append(" WHERE ").append(CassandraTable.quoted(idColumn)).append(" = ? IF ");
        boolean unusable = replacing.lastModified().equals(java.time.Instant.MIN);
        cql.append(unusable ? "EXISTS" : CassandraTable.quoted(timestampColumn) + " = ?");
        BoundStatementBuilder b = session.prepare(cql.toString()).boundStatementBuilder();
        b.setInstant(0, record.lastModified());
        int i = bindValues(b, 1, names, values, columns);
        b.setUuid(i++, record.id());
        if (!unusable) {
            b.setInstant(i, replacing.lastModified());
        }
        return b.build();
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}

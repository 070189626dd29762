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
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import org.cassandraessync.record.SyncRecord;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.cassandraessync.cycle.PendingWrite;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.state.DeadLetters;

/**
 * Writes winners to Cassandra, asynchronously with bounded concurrency (the permits are shared by
 * consecutive pages, so a page's writes overlap the reading of the next), in one of two modes:
 * <ul>
 * <li>timestamp (default): {@code INSERT ... JSON ? DEFAULT UNSET USING TIMESTAMP ?}, the write time
 * above the one of the row it replaces (see {@link CassandraRecordMapper#toInsertParameters});</li>
 * <li>lwt: a lightweight transaction conditional on the replaced row being exactly the one that
 * was compared ({@code IF last_modified = ?}, or {@code IF NOT EXISTS} when there was none); a
 * row changed in between is left alone and the record is decided again next cycle.</li>
 * </ul>
 * A record Cassandra refuses (a value that does not fit its column, a column the table does not
 * have) goes to the dead letters; an unavailable cluster fails the cycle, which is then retried.
 *
 * <p>Why not camel-cassandraql here: it runs one synchronous statement per exchange, which caps
 * throughput far below what the cluster takes.
 */
public class CassandraWriter {

    private final CqlSession session;
    private final CassandraTable table;
    private final CassandraRecordMapper mapper;
    private final SyncCycle cycle;
    private final DeadLetters deadLetters;
    private final Semaphore permits;
    private final boolean lightweightTransactions;
    private final String idColumn;
    private final String timestampColumn;

    public CassandraWriter(CqlSession session, CassandraTable table, CassandraRecordMapper mapper, SyncCycle cycle,
            DeadLetters deadLetters, int maxInFlight, boolean lightweightTransactions, String idColumn,
            String timestampColumn) {
        this.lightweightTransactions = lightweightTransactions;
        this.idColumn = idColumn;
        this.timestampColumn = timestampColumn;
        this.session = session;
        this.table = table;
        this.mapper = mapper;
        this.cycle = cycle;
        this.deadLetters = deadLetters;
        this.permits = new Semaphore(maxInFlight);
    }

    public void write(List<PendingWrite> writes) throws JsonProcessingException {
        if (writes.isEmpty()) {
            return;
        }
        PreparedStatement insert = session.prepare("INSERT INTO " + table.qualifiedName()
                + " JSON ? DEFAULT UNSET USING TIMESTAMP ?");
        List<CompletableFuture<Void>> pending = new ArrayList<>(writes.size());
        Map<String, DataType> columns = lightweightTransactions ? table.columns() : Map.of();
        for (PendingWrite w : writes) {
            Statement<?> statement;
            SyncRecord.Stamp stamp = null; // the write time the new copy gets, when it is known
            try {
                if (lightweightTransactions) {
                    statement = conditional(w, columns);
                } else {
                    List<Object> parameters = mapper.toInsertParameters(w);
                    statement = insert.bind(parameters.toArray());
                    stamp = SyncRecord.Stamp.cassandra((Long) parameters.get(1));
                }
            } catch (IllegalArgumentException e) {
                deadLetters.reject(w.record().side(), w.record().id(), e.getMessage(), w.record().fields());
                continue;
            }
            SyncRecord.Stamp written = stamp;
            permits.acquireUninterruptibly();
            pending.add(session.executeAsync(statement.setTimeout(Duration.ofSeconds(10)))
                    .toCompletableFuture()
                    .<Void>handle((rs, error) -> {
                        permits.release();
                        if (error == null && !rs.wasApplied()) {
                            cycle.conflict(w);
                        } else if (error == null) {
                            cycle.written(w, written);
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
        cycle.inFlight(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
    }

    /** The lightweight transaction for one write: typed values, conditional on the compared copy. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Statement<?> conditional(PendingWrite w, Map<String, DataType> columns) throws JsonProcessingException {
        SyncRecord record = w.record();
        SyncRecord replacing = w.replacing();
        if (replacing == null) {
            return session.prepare("INSERT INTO " + table.qualifiedName() + " JSON ? DEFAULT UNSET IF NOT EXISTS")
                    .bind(mapper.toInsertParameters(w).get(0));
        }
        List<String> names = new ArrayList<>(record.fields().keySet());
        StringBuilder cql = new StringBuilder("UPDATE " + table.qualifiedName() + " SET ")
                .append(CassandraTable.quoted(timestampColumn)).append(" = ?");
        names.forEach(n -> cql.append(", ").append(CassandraTable.quoted(n)).append(" = ?"));
        cql.append(" WHERE ").append(CassandraTable.quoted(idColumn)).append(" = ? IF ");
        boolean unusable = replacing.lastModified().equals(java.time.Instant.MIN);
        cql.append(unusable ? "EXISTS" : CassandraTable.quoted(timestampColumn) + " = ?");
        BoundStatementBuilder b = session.prepare(cql.toString()).boundStatementBuilder();
        int i = 0;
        b.setInstant(i++, record.lastModified());
        for (String n : names) {
            DataType type = columns.get(n);
            if (type == null) {
                throw new IllegalArgumentException("field " + n + " has no Cassandra column");
            }
            Object value = CqlJsonValues.fromJson(type, record.fields().get(n));
            if (value == null) {
                b.setToNull(i++);
            } else {
                TypeCodec codec = CodecRegistry.DEFAULT.codecFor(type, value);
                b.set(i++, value, codec);
            }
        }
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

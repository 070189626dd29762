package org.cassandraessync.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.cassandraessync.cycle.PendingWrite;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.state.DeadLetters;

/**
 * Writes winners to Cassandra as prepared {@code INSERT ... JSON ? DEFAULT UNSET USING TIMESTAMP ?}
 * statements, asynchronously with bounded concurrency. A record Cassandra refuses (a value that
 * does not fit its column, a column the table does not have) goes to the dead letters; an
 * unavailable cluster fails the cycle, which is then retried.
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
    private final int maxInFlight;

    public CassandraWriter(CqlSession session, CassandraTable table, CassandraRecordMapper mapper, SyncCycle cycle,
            DeadLetters deadLetters, int maxInFlight) {
        this.session = session;
        this.table = table;
        this.mapper = mapper;
        this.cycle = cycle;
        this.deadLetters = deadLetters;
        this.maxInFlight = maxInFlight;
    }

    public void write(List<PendingWrite> writes) throws JsonProcessingException {
        if (writes.isEmpty()) {
            return;
        }
        PreparedStatement insert = session.prepare("INSERT INTO " + table.qualifiedName()
                + " JSON ? DEFAULT UNSET USING TIMESTAMP ?");
        Semaphore permits = new Semaphore(maxInFlight);
        List<CompletableFuture<Void>> pending = new ArrayList<>(writes.size());
        for (PendingWrite w : writes) {
            Object[] parameters = mapper.toInsertParameters(w).toArray();
            permits.acquireUninterruptibly();
            pending.add(session.executeAsync(insert.bind(parameters).setTimeout(Duration.ofSeconds(10)))
                    .toCompletableFuture()
                    .<Void>handle((rs, error) -> {
                        permits.release();
                        if (error == null) {
                            cycle.written(w);
                        } else if (unwrap(error) instanceof InvalidQueryException invalid) {
                            deadLetters.reject(w.record().side(), w.record().id(),
                                    "Cassandra refused the record: " + invalid.getMessage(), w.record().fields());
                        } else {
                            throw new CompletionException(unwrap(error));
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}

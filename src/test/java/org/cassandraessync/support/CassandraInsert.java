package org.cassandraessync.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * An application's prepared {@code INSERT} of {@code id}, {@code last_modified} and the columns
 * named, in that order, into the test's table: {@code stores.insertInto("name").row(id, at, "kettle")}.
 */
public final class CassandraInsert {

    private static final int IN_FLIGHT = 256;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final CqlSession session;
    private final PreparedStatement statement;

    CassandraInsert(CqlSession session, String qualifiedTable, List<String> columns) {
        this.session = session;
        List<String> all = new ArrayList<>(List.of("id", "last_modified"));
        all.addAll(columns);
        this.statement = session.prepare("INSERT INTO " + qualifiedTable + " (" + String.join(", ", all) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(all.size(), "?")) + ")");
    }

    /** Writes one row and waits until Cassandra took it. */
    public void row(UUID id, Instant lastModified, Object... values) {
        rowAsync(id, lastModified, values).join();
    }

    public CompletableFuture<?> rowAsync(UUID id, Instant lastModified, Object... values) {
        Object[] all = new Object[values.length + 2];
        all[0] = id;
        all[1] = lastModified;
        System.arraycopy(values, 0, all, 2, values.length);
        return session.executeAsync(statement.bind(all).setTimeout(TIMEOUT)).toCompletableFuture();
    }

    /** Writes every row ({@code {id, last_modified, values…}}), {@value #IN_FLIGHT} at a time, and waits for all. */
    public void rows(Iterable<Object[]> rows) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (Object[] row : rows) {
            Object[] values = java.util.Arrays.copyOfRange(row, 2, row.length);
            writes.add(rowAsync((UUID) row[0], (Instant) row[1], values));
            if (writes.size() == IN_FLIGHT) {
                writes.forEach(CompletableFuture::join);
                writes.clear();
            }
        }
        writes.forEach(CompletableFuture::join);
    }
}

package org.cassandraessync.cassandra;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.IndexMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import org.cassandraessync.record.StoreClock;

/**
 * What {@code check} asks Cassandra, read-only: the server's version and clock, a table's shape and
 * indexes from the schema metadata, and a role's permissions ({@code LIST ALL PERMISSIONS OF}, which
 * a role may ask about itself). Facts only: the command judges them.
 */
public final class CassandraPreflight {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final CqlSession session;

    public CassandraPreflight(CqlSession session) {
        this.session = session;
    }

    /** The version the node reports. */
    public String releaseVersion() {
        Row row = session.execute(SimpleStatement.newInstance("SELECT release_version FROM system.local")
                .setTimeout(TIMEOUT)).one();
        return row == null ? "unknown" : row.getString(0);
    }

    /** The node's clock read between {@code before} and the answer: the middle of the round trip is compared. */
    public StoreClock clock() {
        Instant before = Instant.now();
        Row row = session.execute(SimpleStatement.newInstance("SELECT toUnixTimestamp(now()) FROM system.local")
                .setTimeout(TIMEOUT)).one();
        Instant after = Instant.now();
        return new StoreClock(before, Instant.ofEpochMilli(row.getLong(0)), after);
    }

    public boolean keyspaceExists(String keyspace) {
        return session.getMetadata().getKeyspace(CqlIdentifier.fromInternal(keyspace)).isPresent();
    }

    /** The table's columns and indexes, when it exists. */
    public Optional<Table> table(String keyspace, String table) {
        return session.getMetadata().getKeyspace(CqlIdentifier.fromInternal(keyspace))
                .flatMap(k -> k.getTable(CqlIdentifier.fromInternal(table))).map(CassandraPreflight::describe);
    }

    /**
     * A table's shape.
     *
     * @param columns name → CQL type ({@code uuid}, {@code timestamp}, …) in the table's order
     * @param partitionKey the partition key's columns
     * @param rangeIndexed the columns a storage-attached index (SAI) is declared on: the daemon reads
     *        a window of changes through one on the timestamp column
     * @param otherIndexed the columns only another kind of index is on (a legacy secondary index)
     */
    public record Table(Map<String, String> columns, List<String> partitionKey, List<String> clustering,
            Set<String> rangeIndexed, Set<String> otherIndexed) {
    }

    private static Table describe(TableMetadata t) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (ColumnMetadata c : t.getColumns().values()) {
            columns.put(c.getName().asInternal(), c.getType().asCql(false, true).toLowerCase(Locale.ROOT));
        }
        Set<String> sai = new TreeSet<>();
        Set<String> other = new TreeSet<>();
        for (IndexMetadata index : t.getIndexes().values()) {
            // the target is the column's name, quoted when needed, or values(c) / keys(c) / entries(c)
            String target = index.getTarget().replace("\"", "");
            int open = target.indexOf('(');
            String column = open >= 0 ? target.substring(open + 1, target.length() - 1) : target;
            (index.getClassName().map(CassandraTable::isStorageAttached).orElse(false) ? sai : other).add(column);
        }
        other.removeAll(sai);
        return new Table(columns, t.getPartitionKey().stream().map(c -> c.getName().asInternal()).toList(),
                t.getClusteringColumns().keySet().stream().map(c -> c.getName().asInternal()).toList(), sai, other);
    }

    /**
     * The role's permissions, its own and those of the roles granted to it, as
     * {@code resource → permissions} ({@code <table ks.t>}, {@code <keyspace ks>},
     * {@code <all keyspaces>}); empty for a superuser, who holds every permission.
     */
    public Permissions permissions(String role) {
        String quoted = "\"" + role.replace("\"", "\"\"") + "\"";
        boolean superuser = false;
        for (Row r : session.execute(SimpleStatement.newInstance("LIST ROLES OF " + quoted).setTimeout(TIMEOUT))) {
            superuser |= r.getBoolean("super");
        }
        Map<String, Set<String>> byResource = new LinkedHashMap<>();
        if (!superuser) {
            for (Row r : session.execute(SimpleStatement.newInstance("LIST ALL PERMISSIONS OF " + quoted)
                    .setTimeout(TIMEOUT))) {
                byResource.computeIfAbsent(r.getString("resource"), k -> new TreeSet<>())
                        .add(r.getString("permission").toUpperCase(Locale.ROOT));
            }
        }
        return new Permissions(superuser, byResource);
    }

    /** A role's permissions by resource. */
    public record Permissions(boolean superuser, Map<String, Set<String>> byResource) {
        /** Whether {@code permission} is held on the table, its keyspace or all keyspaces. */
        public boolean onTable(String permission, String keyspace, String table) {
            return superuser || holds(permission, "<table " + keyspace + "." + table + ">")
                    || onKeyspace(permission, keyspace);
        }

        /** Whether {@code permission} is held on the keyspace or all keyspaces. */
        public boolean onKeyspace(String permission, String keyspace) {
            return superuser || holds(permission, "<keyspace " + keyspace + ">") || onAllKeyspaces(permission);
        }

        public boolean onAllKeyspaces(String permission) {
            return superuser || holds(permission, "<all keyspaces>");
        }

        private boolean holds(String permission, String resource) {
            Set<String> held = byResource.getOrDefault(resource, Set.of());
            return held.contains(permission) || held.contains("ALL");
        }

        /** The permissions held, as {@code LIST} shows them (for a line that says what is there). */
        public List<String> listed() {
            List<String> all = new ArrayList<>();
            byResource.forEach((resource, permissions) -> all.add(String.join(",", permissions) + " on " + resource));
            return all;
        }
    }
}

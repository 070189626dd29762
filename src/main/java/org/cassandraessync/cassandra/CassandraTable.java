package org.cassandraessync.cassandra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataType;

/**
 * The synchronized table as the driver's schema metadata describes it right now: its columns and
 * their types are discovered, never declared, and follow schema changes while the daemon runs.
 */
public class CassandraTable {

    /** Alias of the timestamp column's write time in every SELECT the daemon issues. */
    public static final String WRITE_TIME = "sync_writetime";
    /** Alias of the row's token in the reads that say where they stand ({@link TokenPosition}). */
    public static final String TOKEN = "sync_token";

    private final CqlSession session;
    private final String keyspace;
    private final String table;
    private final String timestampColumn;
    private TableMetadata columnsOf;
    private Map<String, DataType> columns;

    public CassandraTable(CqlSession session, String keyspace, String table, String timestampColumn) {
        this.session = session;
        this.keyspace = keyspace;
        this.table = table;
        this.timestampColumn = timestampColumn;
    }

    public TableMetadata metadata() {
        return session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(table))
                .orElseThrow(() -> new IllegalStateException("Cassandra table " + qualifiedName() + " not found"));
    }

    /**
     * Column name → type, in the table's order. Called for every document read from
     * Elasticsearch, so it is rebuilt only when the driver publishes new table metadata.
     */
    public synchronized Map<String, DataType> columns() {
        TableMetadata current = metadata();
        if (current != columnsOf) {
            Map<String, DataType> map = new LinkedHashMap<>();
            for (ColumnMetadata c : current.getColumns().values()) {
                map.put(c.getName().asInternal(), c.getType());
            }
            columns = java.util.Collections.unmodifiableMap(map);
            columnsOf = current;
        }
        return columns;
    }

    public String keyspace() {
        return keyspace;
    }

    public String name() {
        return table;
    }

    public String qualifiedName() {
        return keyspace + "." + table;
    }

    /** {@code "a", "b", ..., writetime("last_modified") AS sync_writetime}. */
    public String selectList() {
        return metadata().getColumns().keySet().stream().map(id -> id.asCql(true)).collect(Collectors.joining(", "))
                + ", writetime(" + quoted(timestampColumn) + ") AS " + WRITE_TIME;
    }

    /** True when a storage-attached index on the timestamp column lets changes be found by range. */
    public boolean hasTimestampIndex() {
        return metadata().getIndexes().values().stream()
                .anyMatch(i -> i.getClassName().map(CassandraTable::isStorageAttached).orElse(false)
                        && unquote(i.getTarget()).equals(timestampColumn));
    }

    /** {@code CREATE INDEX ... USING 'sai'} records the alias, {@code CREATE CUSTOM INDEX} the class name. */
    static boolean isStorageAttached(String className) {
        return className.equalsIgnoreCase("sai") || className.endsWith("StorageAttachedIndex");
    }

    static String quoted(String internalName) {
        return CqlIdentifier.fromInternal(internalName).asCql(true);
    }

    private static String unquote(String target) {
        return target.startsWith("\"") && target.endsWith("\"") ? target.substring(1, target.length() - 1) : target;
    }
}

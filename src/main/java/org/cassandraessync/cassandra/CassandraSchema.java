package org.cassandraessync.cassandra;

import java.time.Duration;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the synchronized table exists with the two columns the sync relies on: the UUID
 * primary key and the timestamp, which gets a storage-attached index (SAI) so that changes can be
 * found by range. Every other column is the users' business and is discovered at run time.
 */
public final class CassandraSchema {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraSchema.class);
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    private CassandraSchema() {
    }

    /**
     * Creates the keyspace, the table and the timestamp index when {@code create} and they are
     * missing, then checks that the table has the id and timestamp columns the sync needs.
     */
    public static void ensure(CqlSession session, String keyspace, String tableName, String idField,
            String timestampField, boolean create, int replicationFactor) {
        String table = keyspace + "." + tableName;
        if (create) {
            // only what is missing: a user allowed to sync an existing table needs no CREATE permission
            session.refreshSchema();
            var existingKeyspace = session.getMetadata().getKeyspace(keyspace);
            if (existingKeyspace.isEmpty()) {
                execute(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
                        + replicationFactor + "}");
            }
            var existingTable = existingKeyspace.flatMap(k -> k.getTable(tableName));
            if (existingTable.isEmpty()) {
                execute(session, "CREATE TABLE IF NOT EXISTS " + table + " (" + idField + " uuid PRIMARY KEY, "
                        + timestampField + " timestamp)");
            }
            boolean indexed = existingTable.map(t -> t.getIndexes().values().stream()
                    .anyMatch(i -> i.getTarget().replace("\"", "").equals(timestampField))).orElse(false);
            if (!indexed) {
                execute(session, "CREATE INDEX IF NOT EXISTS " + tableName + "_" + timestampField
                        + "_sai ON " + table + " (" + timestampField + ") USING 'sai'");
            }
        }
        session.refreshSchema();
        TableMetadata meta = session.getMetadata().getKeyspace(keyspace)
                .flatMap(k -> k.getTable(tableName))
                .orElseThrow(() -> new IllegalStateException("Cassandra table " + table
                        + " does not exist (keyspace / table); create it or set create-schema=true"));
        require(meta, idField, "uuid", meta.getPartitionKey().size() == 1
                && meta.getPartitionKey().get(0).getName().asInternal().equals(idField)
                && meta.getPartitionKey().get(0).getType().equals(DataTypes.UUID)
                && meta.getClusteringColumns().isEmpty(), "id-field");
        require(meta, timestampField, "timestamp", meta.getColumn(timestampField)
                .map(ColumnMetadata::getType).filter(DataTypes.TIMESTAMP::equals).isPresent(), "timestamp-field");
        LOG.info("Cassandra table {} ready ({} columns)", table, meta.getColumns().size());
    }

    private static void require(TableMetadata meta, String column, String type, boolean ok, String key) {
        if (!ok) {
            throw new IllegalStateException("Cassandra table " + meta.getKeyspace() + "." + meta.getName()
                    + " must have '" + column + "' as a " + type
                    + (type.equals("uuid") ? " single-column primary key" : " column") + " (" + key + ")");
        }
    }

    private static void execute(CqlSession session, String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    }

}

package org.cassandraessync.cassandra;

import java.time.Duration;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataTypes;
import org.cassandraessync.config.SyncSettings;
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

    public static void ensure(CqlSession session, SyncSettings s) {
        String ks = s.cassandraKeyspace();
        String table = ks + "." + s.cassandraTable();
        if (s.createSchema()) {
            execute(session, "CREATE KEYSPACE IF NOT EXISTS " + ks
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
                    + s.cassandraReplicationFactor() + "}");
            execute(session, "CREATE TABLE IF NOT EXISTS " + table + " (" + s.idField() + " uuid PRIMARY KEY, "
                    + s.timestampField() + " timestamp)");
            execute(session, "CREATE INDEX IF NOT EXISTS " + s.cassandraTable() + "_" + s.timestampField()
                    + "_sai ON " + table + " (" + s.timestampField() + ") USING 'sai'");
        }
        session.refreshSchema();
        TableMetadata meta = session.getMetadata().getKeyspace(ks)
                .flatMap(k -> k.getTable(s.cassandraTable()))
                .orElseThrow(() -> new IllegalStateException("Cassandra table " + table
                        + " does not exist (sync.cassandra.keyspace / sync.cassandra.table);"
                        + " create it or set sync.create-schema=true"));
        require(meta, s.idField(), "uuid", meta.getPartitionKey().size() == 1
                && meta.getPartitionKey().get(0).getName().asInternal().equals(s.idField())
                && meta.getPartitionKey().get(0).getType().equals(DataTypes.UUID)
                && meta.getClusteringColumns().isEmpty(), "sync.id-field");
        require(meta, s.timestampField(), "timestamp", meta.getColumn(s.timestampField())
                .map(ColumnMetadata::getType).filter(DataTypes.TIMESTAMP::equals).isPresent(), "sync.timestamp-field");
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

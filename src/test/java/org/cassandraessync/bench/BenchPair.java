package org.cassandraessync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import co.elastic.clients.elasticsearch._types.mapping.Property;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import org.cassandraessync.cassandra.CassandraSchema;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
import org.cassandraessync.sandbox.SandboxFiles;
import org.cassandraessync.schema.TypeMapping;

/**
 * One Cassandra table ({@code <name>.records}) and one Elasticsearch index ({@code <name>}) that a
 * benchmark phase syncs, created empty with the benchmark records' columns on both sides (the
 * index maps them as the daemon itself would, through {@link TypeMapping}).
 */
final class BenchPair {

    private final String name;
    private final Map<String, String> connection;
    private final Path stateDir;

    BenchPair(String name, Map<String, String> connection, Path workDir) {
        this.name = name;
        this.connection = connection;
        this.stateDir = workDir.resolve(name + "-state");
    }

    String name() {
        return name;
    }

    String table() {
        return name + ".records";
    }

    String index() {
        return name.replace('_', '-');
    }

    Path stateDir() {
        return stateDir;
    }

    /** The daemon's settings for this pair (defaults for everything else). */
    Map<String, String> daemonProperties(Duration period) {
        Map<String, String> p = new LinkedHashMap<>(connection);
        p.put("sync.cassandra.keyspace", name);
        p.put("sync.cassandra.table", "records");
        p.put("sync.elasticsearch.index", index());
        p.put("sync.period", period.toMillis() + "ms");
        p.put("sync.state-dir", stateDir.toString());
        return p;
    }

    SyncSettings settings() {
        Map<String, String> p = daemonProperties(Duration.ofSeconds(1));
        return SyncSettings.from(k -> Optional.ofNullable(p.get(k)));
    }

    /** Drops what an earlier run left, then creates the table (with its SAI index) and the index. */
    void create(StoreClients clients) {
        drop(clients);
        try {
            SandboxFiles.deleteRecursively(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SyncSettings settings = settings();
        PairSettings pair = settings.defaultPair();
        CassandraSchema.ensure(clients.cassandra(), pair.keyspace(), pair.table(), pair.idField(),
                pair.timestampField(), true, settings.cassandraReplicationFactor());
        // one schema change for all the columns: each ALTER waits for schema agreement (about 1 s)
        clients.cassandra().execute(SimpleStatement.newInstance("ALTER TABLE " + table() + " ADD ("
                + String.join(", ", BenchRecords.COLUMNS) + ")").setTimeout(Duration.ofSeconds(60)));
        clients.cassandra().refreshSchema();
        ElasticsearchIndex.ensure(clients.elasticsearch(), pair.index(), pair.timestampField(),
                true);
        Map<String, Property> mapping = new LinkedHashMap<>();
        for (ColumnMetadata column : clients.cassandra().getMetadata().getKeyspace(name).orElseThrow()
                .getTable("records").orElseThrow().getColumns().values()) {
            String field = column.getName().asInternal();
            if (!field.equals("id") && !field.equals("last_modified")) {
                mapping.put(field, TypeMapping.elasticsearchFor(column.getType()));
            }
        }
        try {
            clients.elasticsearch().indices().putMapping(m -> m.index(index()).properties(mapping));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void drop(StoreClients clients) {
        clients.cassandra().execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + name)
                .setTimeout(Duration.ofSeconds(120)));
        try {
            clients.elasticsearch().indices().delete(d -> d.index(index()).ignoreUnavailable(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long countElasticsearch(StoreClients clients) {
        try {
            clients.elasticsearch().indices().refresh(r -> r.index(index()));
            return clients.elasticsearch().count(c -> c.index(index())).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counted by paging through the ids (a server-side count(*) of a large table times out). */
    long countCassandra(StoreClients clients) {
        long n = 0;
        for (var ignored : clients.cassandra().execute(SimpleStatement.newInstance("SELECT id FROM " + table())
                .setPageSize(5000).setTimeout(Duration.ofSeconds(60)))) {
            n++;
        }
        return n;
    }
}

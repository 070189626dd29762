package org.cassandraessync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import org.cassandraessync.cassandra.CassandraChanges;
import org.cassandraessync.cassandra.CassandraRecordMapper;
import org.cassandraessync.cassandra.CassandraTable;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.elasticsearch.ElasticsearchChanges;
import org.cassandraessync.elasticsearch.ElasticsearchRecordMapper;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.state.DeadLetters;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.sandbox.Sandbox;

/**
 * The test's own view of the sandbox stores, through the stores' own clients: what a user would
 * use to write a record on one side and check it on the other. Each test gets its own keyspace
 * and index so that tests never see each other's records.
 */
public final class TestStores implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Sandbox sandbox;
    private final StoreClients clients;
    private final String keyspace;
    private final String table = "records";
    private final String index;

    private TestStores(Sandbox sandbox, String name) {
        this.sandbox = sandbox;
        this.keyspace = name;
        this.index = name.replace('_', '-');
        this.clients = StoreClients.connect(settings());
    }

    /** Fresh, uniquely named keyspace and index for one test on the shared sandbox. */
    public static TestStores fresh(String scenario) {
        return new TestStores(Sandbox.shared(), "it_" + scenario + "_" + SEQUENCE.incrementAndGet()
                + "_" + Long.toString(System.nanoTime() % 1_000_000, 36));
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public String keyspace() {
        return keyspace;
    }

    public String table() {
        return table;
    }

    public String qualifiedTable() {
        return keyspace + "." + table;
    }

    public String index() {
        return index;
    }

    /** The daemon settings for this test's keyspace and index, on the sandbox, with a short period. */
    public Map<String, String> daemonProperties() {
        Map<String, String> p = new java.util.LinkedHashMap<>(sandbox.connectionProperties());
        p.put("sync.cassandra.keyspace", keyspace);
        p.put("sync.cassandra.table", table);
        p.put("sync.elasticsearch.index", index);
        p.put("sync.period", "500ms");
        p.put("sync.state-dir", stateDir().toString());
        return p;
    }

    /** Declares a pair on this test's table and index with Camel's own camel.route-template[pair].* properties. */
    public Map<String, String> pairDeclaration(String pair) {
        String prefix = "camel.route-template[" + pair + "].";
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put(prefix + "template-id", "cassandra-es-sync");
        p.put(prefix + "pair", pair);
        p.put(prefix + "keyspace", keyspace);
        p.put(prefix + "table", table);
        p.put(prefix + "index", index);
        return p;
    }

    /** {@link #daemonProperties()} as the daemon validates them. */
    public SyncSettings settings() {
        return SyncSettings.from(k -> Optional.ofNullable(daemonProperties().get(k)));
    }

    /** This test's checkpoint and dead-letter folder. */
    public java.nio.file.Path stateDir() {
        return java.nio.file.Path.of("target", "it-state", keyspace);
    }

    public void createKeyspace() {
        cql("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    /** Creates this test's keyspace and a table with the given extra columns (e.g. "name text"). */
    public void createTable(String... extraColumns) {
        createKeyspace();
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + qualifiedTable() + " (id uuid PRIMARY KEY, last_modified timestamp");
        for (String column : extraColumns) {
            ddl.append(", ").append(column);
        }
        cql(ddl.append(")").toString());
    }

    /** Creates this test's index as the daemon would (timestamp mapped as date). */
    public void createIndex() {
        org.cassandraessync.elasticsearch.ElasticsearchIndex.ensure(elasticsearch(), index, "last_modified", true);
    }

    /** Makes everything indexed so far visible to searches, as Elasticsearch does by itself within ~1 s. */
    public void refresh() {
        try {
            elasticsearch().indices().refresh(r -> r.index(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents in this test's index, every one indexed so far (it is refreshed first). */
    public long count() {
        refresh();
        try {
            return elasticsearch().count(c -> c.index(index)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CqlSession cassandra() {
        return clients.cassandra();
    }

    public ElasticsearchClient elasticsearch() {
        return clients.elasticsearch();
    }

    public void cql(String statement, Object... values) {
        cassandra().execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(statement, values)
                .setTimeout(java.time.Duration.ofSeconds(30)));
    }

    /**
     * An application's INSERT of id, last_modified and {@code columns}, in that order:
     * {@code insertInto("name").row(id, at, "x")}.
     */
    public CassandraInsert insertInto(String... columns) {
        return new CassandraInsert(cassandra(), qualifiedTable(), java.util.List.of(columns));
    }

    public Optional<Row> cassandraRow(UUID id) {
        return Optional.ofNullable(cassandra().execute("SELECT * FROM " + qualifiedTable() + " WHERE id = ?", id).one());
    }

    /** Indexes a document as an application would; visible to searches after the next refresh (~1 s). */
    public void index(UUID id, Map<String, Object> document) {
        try {
            elasticsearch().index(i -> i.index(index).id(id.toString()).document(document).refresh(Refresh.False));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indexes a document under any {@code _id} (even one that is not a UUID), searchable at once. */
    public void indexRaw(String id, Map<String, Object> source) {
        try {
            elasticsearch().index(i -> i.index(index).id(id).document(source).refresh(Refresh.True));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indexes many documents in one bulk request, searchable at once. */
    public void indexAll(Map<UUID, Map<String, Object>> documents) {
        co.elastic.clients.elasticsearch.core.BulkRequest.Builder bulk =
                new co.elastic.clients.elasticsearch.core.BulkRequest.Builder().refresh(Refresh.True);
        documents.forEach((id, doc) -> bulk.operations(o -> o.index(i -> i.index(index).id(id.toString()).document(doc))));
        try {
            var response = elasticsearch().bulk(bulk.build());
            if (response.errors()) {
                throw new IllegalStateException("bulk indexing failed: " + response.items().stream()
                        .filter(i -> i.error() != null).findFirst().map(i -> i.error().reason()).orElse("?"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds explicit field mappings to this test's index, given as the JSON of a put-mapping body. */
    public void putMapping(String json) {
        try {
            elasticsearch().indices().putMapping(m -> m.index(index).withJson(new java.io.StringReader(json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of this test's dead-letter file, oldest first. */
    public java.util.List<com.fasterxml.jackson.databind.JsonNode> deadLetters() {
        java.nio.file.Path file = stateDir().resolve("dead-letters-default.jsonl");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            java.util.List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
            if (java.nio.file.Files.exists(file)) {
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    lines.add(json.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many of {@code ids} have a document whose {@code field} is {@code value} (one real-time multi-get). */
    @SuppressWarnings("rawtypes")
    public long documentsWith(java.util.Collection<UUID> ids, String field, Object value) {
        try {
            var response = elasticsearch().mget(m -> m.index(index).ids(ids.stream().map(UUID::toString).toList()),
                    Map.class);
            return response.docs().stream().filter(d -> d.isResult() && d.result().found()
                    && value.equals(d.result().source().get(field))).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document's source (real-time get: no refresh needed), if it exists. */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> document(UUID id) {
        try {
            if (!elasticsearch().indices().exists(e -> e.index(index)).value()) {
                return Optional.empty();
            }
            GetResponse<Map> response = elasticsearch().get(g -> g.index(index).id(id.toString()), Map.class);
            return response.found() ? Optional.of((Map<String, Object>) response.source()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every record of each store, read with the daemon's own readers over a full window (so both
     * sides are normalized exactly as the sync sees them).
     */
    public Map<Side, Map<UUID, SyncRecord>> readBothStores() {
        SyncSettings settings = settings();
        java.nio.file.Path scratch = stateDir().resolveSibling(keyspace + "-comparison");
        com.fasterxml.jackson.databind.ObjectMapper json = org.cassandraessync.record.Json.newMapper();
        DeadLetters deadLetters = new DeadLetters(scratch, "comparison", json);
        org.cassandraessync.record.SyncWindow fullWindow = new org.cassandraessync.record.SyncWindow(null,
                java.time.Instant.now());
        org.cassandraessync.record.KnownVersions none = (side, id, millis, stamp) -> false;
        java.util.concurrent.Executor sameThread = Runnable::run;
        java.time.Clock clock = java.time.Clock.systemUTC();
        CassandraTable table = new CassandraTable(cassandra(), keyspace, this.table, "last_modified");
        org.cassandraessync.cassandra.RowLayout layout = new org.cassandraessync.cassandra.RowLayout(
                new org.cassandraessync.elasticsearch.IndexMapping(elasticsearch(), index)::isStructured, json);
        CassandraRecordMapper cassandraMapper = new CassandraRecordMapper("id", "last_modified", layout, deadLetters,
                settings.maxClockSkew(), clock);
        ElasticsearchRecordMapper elasticsearchMapper = new ElasticsearchRecordMapper("id", "last_modified",
                layout.canonicalForm(table), deadLetters, settings.maxClockSkew(), clock);
        Map<Side, Map<UUID, SyncRecord>> result = new java.util.EnumMap<>(Side.class);
        result.put(Side.CASSANDRA, collect(cassandraChanges(table, cassandraMapper, 1000).pages(fullWindow, none)));
        refresh();
        result.put(Side.ELASTICSEARCH, collect(new ElasticsearchChanges(elasticsearch(),
                new org.cassandraessync.elasticsearch.ElasticsearchLookup(elasticsearch(), elasticsearchMapper, index),
                elasticsearchMapper,
                sameThread, index, "last_modified", 1000, settings.maxClockSkew()).pages(fullWindow, none)));
        return result;
    }

    /** The daemon's reader of this test's table, in pages of {@code batchSize} (read-ahead on the caller's thread). */
    public CassandraChanges cassandraChanges(int batchSize) {
        java.nio.file.Path scratch = stateDir().resolveSibling(keyspace + "-reader");
        com.fasterxml.jackson.databind.ObjectMapper json = org.cassandraessync.record.Json.newMapper();
        CassandraTable table = new CassandraTable(cassandra(), keyspace, this.table, "last_modified");
        org.cassandraessync.cassandra.RowLayout layout = new org.cassandraessync.cassandra.RowLayout(
                new org.cassandraessync.elasticsearch.IndexMapping(elasticsearch(), index)::isStructured, json);
        return cassandraChanges(table, new CassandraRecordMapper("id", "last_modified", layout,
                new DeadLetters(scratch, "reader", json), settings().maxClockSkew(), java.time.Clock.systemUTC()),
                batchSize);
    }

    private CassandraChanges cassandraChanges(CassandraTable table, CassandraRecordMapper mapper, int batchSize) {
        return new CassandraChanges(cassandra(), table, mapper,
                new org.cassandraessync.cassandra.CassandraLookup(cassandra(), table, mapper, "id"), Runnable::run,
                "id", "last_modified", batchSize, settings().maxClockSkew());
    }

    private static Map<UUID, SyncRecord> collect(java.util.Iterator<java.util.List<SyncRecord>> pages) {
        Map<UUID, SyncRecord> all = new java.util.HashMap<>();
        pages.forEachRemaining(page -> page.forEach(r -> all.put(r.id(), r)));
        return all;
    }

    /** The full comparison run after each scenario: both stores hold the same records, same values. */
    public void assertBothStoresHoldTheSameRecords() {
        Map<Side, Map<UUID, SyncRecord>> both = readBothStores();
        Map<UUID, SyncRecord> c = both.get(Side.CASSANDRA);
        Map<UUID, SyncRecord> e = both.get(Side.ELASTICSEARCH);
        org.assertj.core.api.Assertions.assertThat(e.keySet()).as("ids in Elasticsearch")
                .containsExactlyInAnyOrderElementsOf(c.keySet());
        for (Map.Entry<UUID, SyncRecord> entry : c.entrySet()) {
            SyncRecord other = e.get(entry.getKey());
            org.assertj.core.api.Assertions.assertThat(entry.getValue().sameVersionAs(other))
                    .as("record %s: Cassandra %s vs Elasticsearch %s", entry.getKey(), entry.getValue(), other)
                    .isTrue();
        }
    }

    @Override
    public void close() {
        clients.stop();
    }
}

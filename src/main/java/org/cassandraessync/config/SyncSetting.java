package org.cassandraessync.config;

/**
 * The catalogue of the daemon's configuration keys: each key is declared here once, with its
 * default and its documentation. {@link SyncSettings} parses and validates them; the README's
 * configuration table and {@code application.properties} list exactly these keys (a test checks it).
 * Every key can be set in {@code application.properties}, as {@code -Dkey=value}, or as an
 * environment variable in Camel's form ({@code sync.cassandra.contact-points} →
 * {@code SYNC_CASSANDRA_CONTACT_POINTS}).
 */
public enum SyncSetting {

    CASSANDRA_CONTACT_POINTS("sync.cassandra.contact-points", "127.0.0.1:9042",
            "Comma-separated `host:port` list of Cassandra nodes to contact."),
    CASSANDRA_LOCAL_DATACENTER("sync.cassandra.local-datacenter", "datacenter1",
            "Datacenter the driver treats as local (`nodetool status` shows it)."),
    CASSANDRA_KEYSPACE("sync.cassandra.keyspace", "sync",
            "Keyspace of the synchronized table."),
    CASSANDRA_TABLE("sync.cassandra.table", "records",
            "Synchronized table: `id uuid PRIMARY KEY`, `last_modified timestamp`, any other columns."),
    CASSANDRA_USERNAME("sync.cassandra.username", "",
            "User for password authentication; empty = no authentication."),
    CASSANDRA_PASSWORD("sync.cassandra.password", "",
            "Password of `sync.cassandra.username`."),
    CASSANDRA_REPLICATION_FACTOR("sync.cassandra.replication-factor", "1",
            "Replication factor (SimpleStrategy) used only when the daemon creates the keyspace."),
    CASSANDRA_SCHEMA_EVOLUTION("sync.cassandra.schema-evolution", "add-columns",
            "A field that exists only in Elasticsearch: `add-columns` (new column, type from the index mapping), `ignore` (dropped), `reject` (dead letter)."),
    CASSANDRA_WRITE_MODE("sync.cassandra.write-mode", "timestamp",
            "`timestamp`: upserts with `USING TIMESTAMP` above the replaced row's write time (fast). `lwt`: lightweight transactions conditional on the replaced row's `last_modified` (exact under any clock, several times slower)."),
    ELASTICSEARCH_HOSTS("sync.elasticsearch.hosts", "http://127.0.0.1:9200",
            "Comma-separated URLs of Elasticsearch nodes (`http://` or `https://`)."),
    ELASTICSEARCH_INDEX("sync.elasticsearch.index", "records",
            "Synchronized index; document `_id` = the record's UUID."),
    ELASTICSEARCH_USERNAME("sync.elasticsearch.username", "",
            "User for basic authentication; empty = no authentication."),
    ELASTICSEARCH_PASSWORD("sync.elasticsearch.password", "",
            "Password of `sync.elasticsearch.username`."),
    PERIOD("sync.period", "5s",
            "Time between the starts of two sync cycles (`500ms`, `5s`, `1m`). Cycles never overlap."),
    CRON("sync.cron", "",
            "Quartz cron expression (`0/10 * * * * ?`); when set it replaces `sync.period`."),
    OVERLAP("sync.overlap", "5s",
            "How far before its checkpoint each cycle re-reads, to catch late-visible writes and writers' clock differences."),
    MAX_CLOCK_SKEW("sync.max-clock-skew", "1m",
            "A `last_modified` further than this in the future is rejected to the dead-letter file."),
    BATCH_SIZE("sync.batch-size", "1000",
            "Records per read page, per lookup and per bulk write."),
    STATE_DIR("sync.state-dir", "state",
            "Folder for the checkpoint file and the dead-letter file. Deleting it makes the next cycle reconcile fully."),
    ID_FIELD("sync.id-field", "id",
            "Name of the UUID id column / the field mirrored by the document `_id`."),
    TIMESTAMP_FIELD("sync.timestamp-field", "last_modified",
            "Name of the timestamp column/field that decides which version is newest."),
    TIE_BREAKER("sync.tie-breaker", "cassandra",
            "Side whose version wins when both have the same timestamp but different content (`cassandra` or `elasticsearch`)."),
    CREATE_SCHEMA("sync.create-schema", "true",
            "Create the keyspace, table, timestamp index and Elasticsearch index at startup when missing.");

    private final String key;
    private final String defaultValue;
    private final String description;

    SyncSetting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** True for a key whose value must never appear in a log line, an error message or an endpoint. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("api-key") || k.contains("token");
    }
}

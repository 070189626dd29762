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
    CASSANDRA_PASSWORD_FILE("sync.cassandra.password-file", "",
            "File holding the password instead (a mounted secret; one trailing newline is ignored)."),
    CASSANDRA_REPLICATION_FACTOR("sync.cassandra.replication-factor", "1",
            "Replication factor (SimpleStrategy) used only when the daemon creates the keyspace."),
    CASSANDRA_SCHEMA_EVOLUTION("sync.cassandra.schema-evolution", "add-columns",
            "A field that exists only in Elasticsearch: `add-columns` (new column, type from the index mapping), `ignore` (dropped), `reject` (dead letter)."),
    CASSANDRA_WRITE_MODE("sync.cassandra.write-mode", "timestamp",
            "`timestamp`: upserts with `USING TIMESTAMP` above the replaced row's write time (fast). `lwt`: lightweight transactions conditional on the replaced row's `last_modified` (exact under any clock, several times slower)."),
    CASSANDRA_TLS("sync.cassandra.tls", "false",
            "`true`: client-to-node TLS (the cluster's `client_encryption_options`). Trusts the JVM's CAs unless `ca-file` or `truststore` is set."),
    CASSANDRA_CA_FILE("sync.cassandra.ca-file", "",
            "PEM file of the CA certificate(s) that signed the nodes' certificates."),
    CASSANDRA_TRUSTSTORE("sync.cassandra.truststore", "",
            "Trust store (PKCS#12 or JKS) holding the CA instead of `ca-file`."),
    CASSANDRA_TRUSTSTORE_PASSWORD("sync.cassandra.truststore-password", "",
            "Password of `sync.cassandra.truststore`."),
    CASSANDRA_TRUSTSTORE_PASSWORD_FILE("sync.cassandra.truststore-password-file", "",
            "File holding that password instead."),
    CASSANDRA_KEYSTORE("sync.cassandra.keystore", "",
            "Key store (PKCS#12 or JKS) with the client certificate and key, for clusters that require client certificates (`require_client_auth`)."),
    CASSANDRA_KEYSTORE_PASSWORD("sync.cassandra.keystore-password", "",
            "Password of `sync.cassandra.keystore` (and of its key)."),
    CASSANDRA_KEYSTORE_PASSWORD_FILE("sync.cassandra.keystore-password-file", "",
            "File holding that password instead."),
    CASSANDRA_HOSTNAME_VERIFICATION("sync.cassandra.hostname-verification", "true",
            "Check that each node's certificate names the address the driver connects to."),
    ELASTICSEARCH_HOSTS("sync.elasticsearch.hosts", "http://127.0.0.1:9200",
            "Comma-separated URLs of Elasticsearch nodes (`http://` or `https://`)."),
    ELASTICSEARCH_INDEX("sync.elasticsearch.index", "records",
            "Synchronized index; document `_id` = the record's UUID."),
    ELASTICSEARCH_USERNAME("sync.elasticsearch.username", "",
            "User for basic authentication; empty = no authentication."),
    ELASTICSEARCH_PASSWORD("sync.elasticsearch.password", "",
            "Password of `sync.elasticsearch.username`."),
    ELASTICSEARCH_PASSWORD_FILE("sync.elasticsearch.password-file", "",
            "File holding the password instead (a mounted secret; one trailing newline is ignored)."),
    ELASTICSEARCH_API_KEY("sync.elasticsearch.api-key", "",
            "API key instead of a user: the `encoded` value Elasticsearch returns (base64 of `id:api_key`)."),
    ELASTICSEARCH_API_KEY_FILE("sync.elasticsearch.api-key-file", "",
            "File holding the API key instead."),
    ELASTICSEARCH_CA_FILE("sync.elasticsearch.ca-file", "",
            "PEM file of the CA that signed the cluster's HTTP certificate (`config/certs/http_ca.crt` of a default install). Default: the JVM's CAs."),
    ELASTICSEARCH_CA_FINGERPRINT("sync.elasticsearch.ca-fingerprint", "",
            "Trust the certificate chain holding a certificate of this SHA-256 fingerprint (hex, colons allowed), as Elasticsearch prints it at first start; instead of `ca-file`."),
    ELASTICSEARCH_KEYSTORE("sync.elasticsearch.keystore", "",
            "Key store (PKCS#12 or JKS) with a client certificate and key, for clusters that ask for one."),
    ELASTICSEARCH_KEYSTORE_PASSWORD("sync.elasticsearch.keystore-password", "",
            "Password of `sync.elasticsearch.keystore` (and of its key)."),
    ELASTICSEARCH_KEYSTORE_PASSWORD_FILE("sync.elasticsearch.keystore-password-file", "",
            "File holding that password instead."),
    ELASTICSEARCH_INSECURE_SKIP_TLS_VERIFY("sync.elasticsearch.insecure-skip-tls-verify", "false",
            "`true` accepts any certificate for any host name: for local tests only; logged as a warning at every start."),
    PERIOD("sync.period", "5s",
            "Time between the starts of two sync cycles (`500ms`, `5s`, `1m`). Cycles never overlap."),
    CRON("sync.cron", "",
            "Quartz cron expression (`0/10 * * * * ?`); when set it replaces `sync.period`."),
    OVERLAP("sync.overlap", "5s",
            "How old a version is when a cycle reads it a second time, to catch late-visible writes and writers' clock differences."),
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
            "Create the keyspace, table, timestamp index and Elasticsearch index at startup when missing."),
    TO_ELASTICSEARCH("sync.to-elasticsearch", "",
            "Endpoint of your own route that every winner on its way to Elasticsearch goes through first (`direct:mask-emails`): it may change the record or `stop` it. Empty: none. The sync and `verify --repair` both use it."),
    TO_CASSANDRA("sync.to-cassandra", "",
            "The same on the way to Cassandra."),
    CHECKPOINT_STORE("sync.checkpoint-store", "auto",
            "Where each pair's checkpoints are kept: `file` (in `sync.state-dir`), `cassandra` (a row per pair in `sync.cassandra.checkpoint-table` of the pair's keyspace, which every instance reads), `auto` = `cassandra` when `sync.ha.cluster-service` is `zookeeper` or `camel`, else `file`."),
    CASSANDRA_CHECKPOINT_TABLE("sync.cassandra.checkpoint-table", "cassandra_es_sync_checkpoints",
            "Table of the checkpoints when they are kept in Cassandra (created when missing)."),
    HA_CLUSTER_SERVICE("sync.ha.cluster-service", "none",
            "`none`: this instance runs every pair. Otherwise only each pair's leader runs its cycles: `file` = the instance holding the pair's lock file in `sync.state-dir` (a folder every instance shares; covers crashes, not hangs), `zookeeper` = the leader ZooKeeper elects (crashes, hangs longer than the session timeout, partitions), `camel` = a `CamelClusterService` the Camel context already has (Kubernetes leases, your own)."),
    HA_INSTANCE_ID("sync.ha.instance-id", "",
            "This instance's name in the elections, logs, health and metrics; empty = `<host name>-<process id>`."),
    HA_PREFERRED_PAIRS("sync.ha.preferred-pairs", "",
            "Pairs this instance should lead (comma-separated): it joins their elections at once and the others' only after `sync.ha.standby-delay`. Empty = joins every election at once."),
    HA_STANDBY_DELAY("sync.ha.standby-delay", "15s",
            "How long an instance waits before it joins the election of a pair it does not prefer."),
    HA_FILE_RETRY_INTERVAL("sync.ha.file.retry-interval", "2s",
            "How often a standby tries to take a pair's lock file: the takeover time after a leader dies."),
    HA_ZOOKEEPER_NODES("sync.ha.zookeeper.nodes", "",
            "ZooKeeper connect string (`zk1:2181,zk2:2181`) for `sync.ha.cluster-service=zookeeper`."),
    HA_ZOOKEEPER_BASE_PATH("sync.ha.zookeeper.base-path", "/cassandra-es-sync",
            "ZooKeeper path under which each pair's election runs."),
    HA_ZOOKEEPER_SESSION_TIMEOUT("sync.ha.zookeeper.session-timeout", "10s",
            "A leader ZooKeeper has not heard from for this long (dead, hung, cut off) loses its pairs: most of a takeover's time. Keep it above the process's longest GC pause.");

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

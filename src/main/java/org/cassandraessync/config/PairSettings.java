package org.cassandraessync.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.cassandraessync.record.Side;
import org.cassandraessync.schema.SchemaEvolution;

/**
 * The validated settings of one table ↔ index pair: the parameters of one instance of the
 * {@code cassandra-es-sync} route template (declared, with their descriptions and defaults, in
 * {@code routes/cassandra-es-sync.yaml}). Every problem is reported at once, naming the pair and
 * the parameter.
 */
public record PairSettings(
        String pair,
        String keyspace,
        String table,
        String index,
        Duration period,
        Optional<String> cron,
        Duration overlap,
        int batchSize,
        String idField,
        String timestampField,
        Side tieBreaker,
        SchemaEvolution.Mode schemaEvolution,
        boolean lightweightTransactions,
        boolean createSchema,
        Map<Side, String> yourSteps) {

    /** The pair the daemon-wide keys define: synced when no pair is declared. */
    public static final String DEFAULT_PAIR = "default";

    /** The template's parameter names: a public interface. */
    public static final List<String> PARAMETERS = List.of("pair", "keyspace", "table", "index", "period", "cron",
            "overlap", "batch-size", "id-field", "timestamp-field", "tie-breaker", "schema-evolution", "write-mode",
            "create-schema", "to-elasticsearch", "to-cassandra");

    /** Letters, digits, '_', '-', '.': the name goes into route ids, file names and log lines. */
    private static final Pattern PAIR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /**
     * The daemon-wide key each parameter defaults to: the template declares its default as
     * {@code {{key:default}}} (ConfigurationCatalogueTest holds the two together). {@code pair}
     * has none.
     */
    static final Map<String, SyncSetting> DAEMON_KEYS = Map.ofEntries(
            Map.entry("keyspace", SyncSetting.CASSANDRA_KEYSPACE),
            Map.entry("table", SyncSetting.CASSANDRA_TABLE),
            Map.entry("index", SyncSetting.ELASTICSEARCH_INDEX),
            Map.entry("period", SyncSetting.PERIOD),
            Map.entry("cron", SyncSetting.CRON),
            Map.entry("overlap", SyncSetting.OVERLAP),
            Map.entry("batch-size", SyncSetting.BATCH_SIZE),
            Map.entry("id-field", SyncSetting.ID_FIELD),
            Map.entry("timestamp-field", SyncSetting.TIMESTAMP_FIELD),
            Map.entry("tie-breaker", SyncSetting.TIE_BREAKER),
            Map.entry("schema-evolution", SyncSetting.CASSANDRA_SCHEMA_EVOLUTION),
            Map.entry("write-mode", SyncSetting.CASSANDRA_WRITE_MODE),
            Map.entry("create-schema", SyncSetting.CREATE_SCHEMA),
            Map.entry("to-elasticsearch", SyncSetting.TO_ELASTICSEARCH),
            Map.entry("to-cassandra", SyncSetting.TO_CASSANDRA));

    /** The daemon-wide key a pair parameter defaults to (none for {@code pair}). */
    public static Optional<SyncSetting> daemonKey(String parameter) {
        return Optional.ofNullable(DAEMON_KEYS.get(parameter));
    }

    /**
     * @param parameter the value of a template parameter (null when unset)
     * @throws InvalidConfigurationException naming every invalid parameter
     */
    public static PairSettings from(Function<String, String> parameter) {
        String name = Optional.ofNullable(parameter.apply("pair")).map(String::trim).orElse("");
        SyncSettings.Reader r = new SyncSettings.Reader(key -> Optional.ofNullable(parameter.apply(key)),
                "pair '" + name + "': ");
        r.get("pair", PairSettings::pairName);
        Supplier<PairSettings> settings = read(name, new Values() {
            @Override
            public <T> T get(String parameter, Function<String, T> parser) {
                return r.get(parameter, parser);
            }
        });
        r.failOnProblems();
        return settings.get();
    }

    /**
     * The pair {@code name} as the daemon-wide keys define it (what every pair's parameters default
     * to, and the pair a daemon without declared pairs syncs); a problem names the key. The
     * settings are built once the reader found no problem.
     */
    static Supplier<PairSettings> fromDaemonKeys(String name, SyncSettings.Reader r) {
        return read(name, new Values() {
            @Override
            public <T> T get(String parameter, Function<String, T> parser) {
                return r.get(DAEMON_KEYS.get(parameter), parser);
            }
        });
    }

    /** Reads one parameter and parses it, recording a problem (and answering null) when it is invalid. */
    private interface Values {
        <T> T get(String parameter, Function<String, T> parser);
    }

    private static Supplier<PairSettings> read(String name, Values r) {
        var keyspace = r.get("keyspace", SyncSettings::cqlIdentifier);
        var table = r.get("table", SyncSettings::cqlIdentifier);
        var index = r.get("index", SyncSettings::indexName);
        var period = r.get("period", SyncSettings::positiveDuration);
        var cron = r.get("cron", SyncSettings::cron);
        var overlap = r.get("overlap", SyncSettings::nonNegativeDuration);
        var batchSize = r.get("batch-size", SyncSettings::positiveInt);
        var idField = r.get("id-field", SyncSettings::cqlIdentifier);
        var timestampField = r.get("timestamp-field", SyncSettings::cqlIdentifier);
        var tieBreaker = r.get("tie-breaker", SyncSettings::side);
        var schemaEvolution = r.get("schema-evolution", SyncSettings::schemaEvolution);
        var lwt = r.get("write-mode", SyncSettings::lightweightTransactions);
        var createSchema = r.get("create-schema", SyncSettings::bool);
        Map<Side, String> yourSteps = new EnumMap<>(Side.class);
        for (Side target : Side.values()) {
            Optional<String> uri = r.get("to-" + target.label(), PairSettings::endpoint);
            if (uri != null) {
                uri.ifPresent(u -> yourSteps.put(target, u));
            }
        }
        return () -> new PairSettings(name, keyspace, table, index, period, cron, overlap, batchSize, idField,
                timestampField, tieBreaker, schemaEvolution, lwt, createSchema, Map.copyOf(yourSteps));
    }

    /** The same settings, creating nothing: a check ({@code verify}, {@code dry-run}) finds a missing table or index. */
    public PairSettings withoutSchemaCreation() {
        return new PairSettings(pair, keyspace, table, index, period, cron, overlap, batchSize, idField,
                timestampField, tieBreaker, schemaEvolution, lightweightTransactions, false, yourSteps);
    }

    /** The endpoint of the integrator's own steps on the way to {@code target}, when the pair names one. */
    public Optional<String> yourSteps(Side target) {
        return Optional.ofNullable(yourSteps.get(target));
    }

    /** An endpoint URI (scheme:rest) or nothing. */
    static Optional<String> endpoint(String v) {
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!v.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.+")) {
            throw new IllegalArgumentException("expected an endpoint URI such as direct:mask-emails, or nothing");
        }
        return Optional.of(v);
    }

    static String pairName(String v) {
        if (!PAIR_NAME.matcher(v).matches()) {
            throw new IllegalArgumentException("expected a name of letters, digits, '_', '-' and '.' (at most 64)");
        }
        return v;
    }

    /** The checkpoint file name the daemon used before pairs existed (one pair per daemon). */
    public String legacyCheckpointName() {
        return keyspace + "." + table + "-" + index;
    }
}

package org.cassandraessync.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.camel.util.TimeUtils;
import org.cassandraessync.record.Side;
import org.cassandraessync.schema.SchemaEvolution;

/**
 * The validated configuration: every {@link SyncSetting} read once, parsed into its type, and
 * rejected at startup with a message naming the key when it is missing or malformed.
 */
public record SyncSettings(
        List<InetSocketAddress> cassandraContactPoints,
        String cassandraLocalDatacenter,
        Optional<Credentials> cassandraCredentials,
        Optional<TlsSettings> cassandraTls,
        int cassandraReplicationFactor,
        List<URI> elasticsearchHosts,
        Optional<Credentials> elasticsearchCredentials,
        Optional<String> elasticsearchApiKey,
        TlsSettings elasticsearchTls,
        Duration maxClockSkew,
        Path stateDir,
        HighAvailability ha,
        PairSettings defaultPair) {

    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return username + ":****";
        }
    }

    @Override
    public String toString() {
        // the generated form would print the API key
        return "SyncSettings[cassandra=" + cassandraContactPoints + ", elasticsearch=" + elasticsearchHosts + "]";
    }

    private static final Pattern CQL_IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9_.+-]{0,254}");

    /**
     * Reads and validates every setting.
     *
     * @param lookup the raw value of a key, or empty when unset (the default then applies)
     * @throws InvalidConfigurationException naming every invalid key
     */
    public static SyncSettings from(Function<String, Optional<String>> lookup) {
        Reader r = new Reader(lookup, "");
        var contactPoints = r.get(SyncSetting.CASSANDRA_CONTACT_POINTS, SyncSettings::hostPorts);
        var datacenter = r.get(SyncSetting.CASSANDRA_LOCAL_DATACENTER, SyncSettings::nonBlank);
        var cassandraCredentials = r.credentials(SyncSetting.CASSANDRA_USERNAME, SyncSetting.CASSANDRA_PASSWORD,
                SyncSetting.CASSANDRA_PASSWORD_FILE);
        var cassandraTls = Security.cassandraTls(r);
        var replicationFactor = r.get(SyncSetting.CASSANDRA_REPLICATION_FACTOR, SyncSettings::positiveInt);
        var hosts = r.get(SyncSetting.ELASTICSEARCH_HOSTS, SyncSettings::urls);
        var esCredentials = r.credentials(SyncSetting.ELASTICSEARCH_USERNAME, SyncSetting.ELASTICSEARCH_PASSWORD,
                SyncSetting.ELASTICSEARCH_PASSWORD_FILE);
        var apiKey = Security.elasticsearchApiKey(r, esCredentials);
        var esTls = Security.elasticsearchTls(r, hosts);
        var maxClockSkew = r.get(SyncSetting.MAX_CLOCK_SKEW, SyncSettings::nonNegativeDuration);
        var stateDir = r.get(SyncSetting.STATE_DIR, SyncSettings::path);
        var ha = HighAvailability.read(r);
        var defaultPair = PairSettings.fromDaemonKeys(PairSettings.DEFAULT_PAIR, r);
        r.failOnProblems();
        return new SyncSettings(contactPoints, datacenter, cassandraCredentials, cassandraTls, replicationFactor,
                hosts, esCredentials, apiKey, esTls, maxClockSkew, stateDir, ha, defaultPair.get());
    }

    /**
     * Collects every problem instead of stopping at the first, so one restart fixes them all; each
     * names its key (after {@code label}, e.g. the pair a template parameter belongs to).
     */
    static final class Reader {
        private final Function<String, Optional<String>> lookup;
        private final String label;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Optional<String>> lookup, String label) {
            this.lookup = lookup;
            this.label = label;
        }

        String raw(SyncSetting s) {
            return lookup.apply(s.key()).map(String::trim).orElse(s.defaultValue());
        }

        <T> T get(SyncSetting s, Function<String, T> parser) {
            return parse(s.key(), raw(s), parser);
        }

        /** A value without a default: unset reads as empty. */
        <T> T get(String key, Function<String, T> parser) {
            return parse(key, lookup.apply(key).map(String::trim).orElse(""), parser);
        }

        private <T> T parse(String key, String value, Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                problems.add(label + key + " = '" + (SyncSetting.isSecret(key) ? "****" : value) + "': "
                        + e.getMessage());
                return null;
            }
        }

        /** @throws InvalidConfigurationException listing every problem found so far */
        void failOnProblems() {
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
        }

        Optional<Credentials> credentials(SyncSetting user, SyncSetting password, SyncSetting passwordFile) {
            String u = raw(user);
            String p = secret(password, passwordFile);
            if (u.isEmpty() && !p.isEmpty()) {
                problems.add(password.key() + " is set but " + user.key() + " is empty");
            }
            return u.isEmpty() ? Optional.empty() : Optional.of(new Credentials(u, p));
        }

        /**
         * A secret given directly (property, -D, environment variable) or as the content of a file
         * ({@code file}: a Kubernetes secret mounted as a file), read once at startup; one trailing
         * line break is dropped. Empty when neither is set. A problem names the keys, never the value.
         */
        String secret(SyncSetting value, SyncSetting file) {
            String direct = raw(value);
            String path = raw(file);
            if (path.isEmpty()) {
                return direct;
            }
            if (!direct.isEmpty()) {
                problems.add(label + value.key() + " and " + file.key() + " are both set: keep one");
            }
            try {
                String content = java.nio.file.Files.readString(Path.of(path));
                return content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                        : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            } catch (java.io.IOException | java.nio.file.InvalidPathException | java.io.UncheckedIOException e) {
                problems.add(label + file.key() + " = '" + path + "': cannot read the file ("
                        + e.getClass().getSimpleName() + ")");
                return "";
            }
        }

        /** Records a problem that involves several keys (the message names them). */
        void problem(String message) {
            problems.add(label + message);
        }
    }

    static String nonBlank(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return v;
    }

    static String cqlIdentifier(String v) {
        if (!CQL_IDENTIFIER.matcher(v).matches()) {
            throw new IllegalArgumentException("expected a name of letters, digits and _ starting with a letter"
                    + " (at most 48 characters)");
        }
        return v;
    }

    static String indexName(String v) {
        if (!INDEX_NAME.matcher(v).matches()) {
            throw new IllegalArgumentException("expected an Elasticsearch index name: lower case letters, digits,"
                    + " _ . + -, not starting with _ . + -");
        }
        return v;
    }

    static int positiveInt(String v) {
        try {
            int i = Integer.parseInt(v);
            if (i > 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a positive integer");
    }

    static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    static SchemaEvolution.Mode schemaEvolution(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "add-columns" -> SchemaEvolution.Mode.ADD_COLUMNS;
            case "ignore" -> SchemaEvolution.Mode.IGNORE;
            case "reject" -> SchemaEvolution.Mode.REJECT;
            default -> throw new IllegalArgumentException("expected add-columns, ignore or reject");
        };
    }

    static boolean lightweightTransactions(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "timestamp" -> false;
            case "lwt" -> true;
            default -> throw new IllegalArgumentException("expected timestamp or lwt");
        };
    }

    static Side side(String v) {
        return Side.labelled(v).orElseThrow(() -> new IllegalArgumentException("expected cassandra or elasticsearch"));
    }

    private static final String DURATION_EXPECTED = "expected a duration such as 500ms, 5s, 1m, 1h30m or PT5S";
    private static final java.util.regex.Pattern ZERO = java.util.regex.Pattern.compile("\\s*0+\\s*[A-Za-z]*\\s*|P?T?0+[A-Za-z]");

    static Duration positiveDuration(String v) {
        Duration d = nonNegativeDuration(v);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than 0 (a duration such as 500ms, 5s or 1m)");
        }
        return d;
    }

    static Duration nonNegativeDuration(String v) {
        long millis;
        try {
            millis = v.startsWith("P") || v.startsWith("p") ? Duration.parse(v).toMillis() : TimeUtils.toMilliSeconds(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(DURATION_EXPECTED);
        }
        // Camel's parser reads any text without digits ("abc", "soon") as 0
        if (millis == 0 && !ZERO.matcher(v).matches()) {
            throw new IllegalArgumentException(DURATION_EXPECTED);
        }
        if (millis < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return Duration.ofMillis(millis);
    }

    static Optional<String> cron(String v) {
        if (v.isBlank()) {
            return Optional.empty();
        }
        if (!org.quartz.CronExpression.isValidExpression(v)) {
            throw new IllegalArgumentException("expected a Quartz cron expression such as '0/10 * * * * ?'");
        }
        return Optional.of(v);
    }

    static Path path(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must name a folder");
        }
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: " + e.getMessage());
        }
    }

    static List<InetSocketAddress> hostPorts(String v) {
        List<InetSocketAddress> result = new ArrayList<>();
        for (String part : v.split(",")) {
            String hp = part.trim();
            int colon = hp.lastIndexOf(':');
            if (hp.isEmpty() || colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("expected host:port entries separated by commas, e.g. 10.0.0.1:9042");
            }
            String host = hp.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port of '" + hp + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port of '" + hp + "' is out of range");
            }
            result.add(InetSocketAddress.createUnresolved(host, port));
        }
        return List.copyOf(result);
    }

    static List<URI> urls(String v) {
        List<URI> result = new ArrayList<>();
        for (String part : v.split(",")) {
            String s = part.trim();
            try {
                URI uri = new URI(s);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(s, "not an http(s) URL");
                }
                result.add(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("expected http(s)://host:port URLs separated by commas, e.g."
                        + " http://10.0.0.1:9200");
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("must name at least one URL");
        }
        return List.copyOf(result);
    }
}

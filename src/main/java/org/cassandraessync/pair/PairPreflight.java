package org.cassandraessync.pair;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import org.apache.camel.CamelContext;
import org.cassandraessync.cassandra.CassandraPreflight;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.connect.ElasticsearchOperation;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.elasticsearch.ElasticsearchPreflight;
import org.cassandraessync.ha.ElectionProbe;
import org.cassandraessync.record.StoreClock;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.schema.SchemaEvolution;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.StateFolder;
import org.elasticsearch.client.ResponseException;

/**
 * The preflight of one pair ({@code check}): whether the daemon can work with this configuration
 * here, one line per check with what was found and, for what will fail, the fix. Read-only: it
 * creates, writes and locks nothing, so it runs beside a running daemon.
 */
public final class PairPreflight {

    /** How a check came out. */
    public enum Status {
        OK("✔"), WARNING("⚠"), FAILED("✘");

        private final String mark;

        Status(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    /** One check's outcome: {@code fix} is empty when there is nothing to do. */
    public record Line(Status status, String check, String found, String fix) {
        static Line ok(String check, String found) {
            return new Line(Status.OK, check, found, "");
        }
    }

    private static final String LEAST_PRIVILEGE = "docs/security.md#least-privilege";
    private static final String NO_ANSWER = "did not answer in time (a stopped, hung or overloaded process, or a"
            + " network that drops the packets)";
    private static final String UNREACHABLE_FIX = "check the address, the port and that the store runs and answers";

    private final CamelContext context;
    private final PairSettings pair;
    private final StoreClients clients;
    private final SyncSettings daemon;
    private final Checkpoints checkpoints;
    private final List<Line> lines = new ArrayList<>();

    PairPreflight(CamelContext context, PairSettings pair, StoreClients clients, Checkpoints checkpoints) {
        this.context = context;
        this.pair = pair;
        this.clients = clients;
        this.daemon = clients.settings();
        this.checkpoints = checkpoints;
    }

    /** Runs every check; a store that does not answer fails its line and skips the checks that need it. */
    public List<Line> run() {
        Optional<CqlSession> cassandra = cassandraAnswers();
        Optional<ElasticsearchPreflight> elasticsearch = elasticsearchAnswers();
        Optional<CassandraPreflight.Table> table = Optional.empty();
        boolean tableMissing = false;
        if (cassandra.isPresent()) {
            CassandraPreflight c = new CassandraPreflight(cassandra.get());
            table = c.table(pair.keyspace(), pair.table());
            tableMissing = table.isEmpty();
            tableShape(table);
            timestampIndex(table);
            cassandraPermissions(c, tableMissing);
        }
        boolean indexMissing = false;
        if (elasticsearch.isPresent()) {
            indexMissing = timestampMapping(elasticsearch.get());
            elasticsearchPrivileges(elasticsearch.get(), indexMissing);
        }
        checkpointStore(cassandra);
        election();
        clocks(cassandra, elasticsearch, indexMissing);
        return List.copyOf(lines);
    }

    private Optional<CqlSession> cassandraAnswers() {
        String how = daemon.cassandraContactPoints().stream().map(a -> a.getHostString() + ":" + a.getPort())
                .reduce((a, b) -> a + "," + b).orElse("") + (daemon.cassandraTls().isPresent() ? ", TLS" : "")
                + daemon.cassandraCredentials().map(c -> ", as role " + c.username()).orElse(", no authentication");
        try {
            CqlSession session = clients.cassandra();
            lines.add(Line.ok("Cassandra answers", "Cassandra " + new CassandraPreflight(session).releaseVersion()
                    + " at " + how));
            return Optional.of(session);
        } catch (RuntimeException e) {
            failed("Cassandra answers", e, "at " + how);
            return Optional.empty();
        }
    }

    private Optional<ElasticsearchPreflight> elasticsearchAnswers() {
        String how = daemon.elasticsearchHosts().stream().map(Object::toString).reduce((a, b) -> a + "," + b)
                .orElse("") + daemon.elasticsearchApiKey().map(k -> ", with an API key")
                        .orElse(daemon.elasticsearchCredentials().map(c -> ", as user " + c.username())
                                .orElse(", no authentication"));
        try {
            ElasticsearchPreflight es = new ElasticsearchPreflight(clients.elasticsearchRest());
            lines.add(Line.ok("Elasticsearch answers", es.version() + " at " + how));
            return Optional.of(es);
        } catch (IOException | RuntimeException e) {
            failed("Elasticsearch answers", e, "at " + how);
            return Optional.empty();
        }
    }

    private void tableShape(Optional<CassandraPreflight.Table> found) {
        String name = pair.keyspace() + "." + pair.table();
        String check = "Cassandra table";
        if (found.isEmpty()) {
            if (pair.createSchema()) {
                lines.add(Line.ok(check, name + " does not exist yet: the daemon creates it (" + pair.idField()
                        + " uuid, " + pair.timestampField() + " timestamp, its index) at its first cycle"));
            } else {
                lines.add(new Line(Status.FAILED, check, name + " does not exist (create-schema=false)",
                        "CREATE TABLE " + name + " (" + pair.idField() + " uuid PRIMARY KEY, " + pair.timestampField()
                                + " timestamp, …), or set create-schema=true"));
            }
            return;
        }
        CassandraPreflight.Table t = found.get();
        List<String> problems = new ArrayList<>();
        if (!t.partitionKey().equals(List.of(pair.idField())) || !t.clustering().isEmpty()) {
            String clustering = t.clustering().isEmpty() ? "" : ", " + String.join(", ", t.clustering());
            problems.add("its primary key is ((" + String.join(", ", t.partitionKey()) + ")" + clustering
                    + "), not (" + pair.idField() + ")");
        } else if (!"uuid".equals(t.columns().get(pair.idField()))) {
            problems.add(pair.idField() + " is " + t.columns().get(pair.idField()) + ", not uuid");
        }
        String timestamp = t.columns().get(pair.timestampField());
        if (timestamp == null) {
            problems.add("it has no column " + pair.timestampField());
        } else if (!"timestamp".equals(timestamp)) {
            problems.add(pair.timestampField() + " is " + timestamp + ", not timestamp");
        }
        if (problems.isEmpty()) {
            lines.add(Line.ok(check, name + ": " + pair.idField() + " uuid primary key, " + pair.timestampField()
                    + " timestamp, " + t.columns().size() + " columns"));
        } else {
            lines.add(new Line(Status.FAILED, check, name + ": " + String.join("; ", problems),
                    "the pair needs a table keyed by one uuid column (id-field=" + pair.idField()
                            + ") with a timestamp column (timestamp-field=" + pair.timestampField()
                            + "): set those parameters to the table's columns, or copy the rows into such a table"));
        }
    }

    private void timestampIndex(Optional<CassandraPreflight.Table> found) {
        String check = "timestamp index";
        String column = pair.keyspace() + "." + pair.table() + " (" + pair.timestampField() + ")";
        String create = "CREATE INDEX " + pair.table() + "_" + pair.timestampField() + "_sai ON " + pair.keyspace()
                + "." + pair.table() + " (" + pair.timestampField() + ") USING 'sai'";
        if (found.isEmpty()) {
            if (pair.createSchema()) {
                lines.add(Line.ok(check, "created with the table"));
            }
            return;
        }
        CassandraPreflight.Table t = found.get();
        if (t.rangeIndexed().contains(pair.timestampField())) {
            lines.add(Line.ok(check, "a storage-attached index on " + column + ": each cycle reads only its window"));
        } else if (pair.createSchema()) {
            lines.add(new Line(Status.WARNING, check, "none on " + column + " yet: the daemon creates one at its first"
                    + " cycle (the role needs ALTER on the table); until then every cycle would read the whole table",
                    create));
        } else {
            lines.add(new Line(Status.WARNING, check, "no storage-attached index on " + column
                    + (t.otherIndexed().contains(pair.timestampField()) ? " (a legacy secondary index cannot read a"
                            + " range)" : "") + ": every cycle reads the whole table", create));
        }
    }

    private void cassandraPermissions(CassandraPreflight cassandra, boolean tableMissing) {
        String check = "Cassandra permissions";
        Optional<SyncSettings.Credentials> credentials = daemon.cassandraCredentials();
        if (credentials.isEmpty()) {
            lines.add(Line.ok(check, "no authentication configured: the cluster allows every request"));
            return;
        }
        String role = credentials.get().username();
        CassandraPreflight.Permissions held;
        try {
            held = cassandra.permissions(role);
        } catch (RuntimeException e) {
            lines.add(new Line(Status.WARNING, check, "cannot list the permissions of role " + role + ": "
                    + e.getMessage(), "check them by hand against " + LEAST_PRIVILEGE));
            return;
        }
        if (held.superuser()) {
            lines.add(Line.ok(check, "role " + role + " is a superuser (it needs far less: " + LEAST_PRIVILEGE + ")"));
            return;
        }
        String ks = pair.keyspace();
        String table = pair.table();
        Map<String, String> missing = new LinkedHashMap<>();
        if (tableMissing) {
            if (pair.createSchema() && !cassandra.keyspaceExists(ks) && !held.onAllKeyspaces("CREATE")) {
                missing.put("CREATE ON ALL KEYSPACES", "create the keyspace and the table (create-schema=true)");
            } else if (pair.createSchema() && !held.onKeyspace("CREATE", ks)) {
                missing.put("CREATE ON KEYSPACE " + ks, "create the table (create-schema=true)");
            }
        } else {
            need(held.onTable("SELECT", ks, table), missing, "SELECT ON TABLE " + ks + "." + table, "read the changes");
            need(held.onTable("MODIFY", ks, table), missing, "MODIFY ON TABLE " + ks + "." + table,
                    "write the winners from Elasticsearch");
            need(pair.schemaEvolution() != SchemaEvolution.Mode.ADD_COLUMNS || held.onTable("ALTER", ks, table),
                    missing, "ALTER ON TABLE " + ks + "." + table,
                    "add columns for fields only Elasticsearch has (schema-evolution=add-columns)");
        }
        HighAvailability ha = daemon.ha();
        if (ha.checkpointsInCassandra()) {
            String checkpointTable = ks + "." + ha.checkpointTable();
            need(held.onTable("SELECT", ks, ha.checkpointTable()) || held.onKeyspace("CREATE", ks), missing,
                    "SELECT ON TABLE " + checkpointTable, "read the checkpoints");
            need(held.onTable("MODIFY", ks, ha.checkpointTable()) || held.onKeyspace("CREATE", ks), missing,
                    "MODIFY ON TABLE " + checkpointTable, "commit the checkpoints");
        }
        if (missing.isEmpty()) {
            lines.add(Line.ok(check, "role " + role + " holds what the daemon uses on " + ks + "." + table));
        } else {
            List<String> what = new ArrayList<>();
            missing.forEach((permission, use) -> what.add(permission.replaceFirst(" ON ", " on ") + " (to " + use
                    + ")"));
            lines.add(new Line(Status.FAILED, check, "role " + role + " lacks " + String.join(", ", what),
                    missing.keySet().stream().map(p -> "GRANT " + p + " TO " + role).reduce((a, b) -> a + "; " + b)
                            .orElse("") + " (" + LEAST_PRIVILEGE + ")"));
        }
    }

    private static void need(boolean held, Map<String, String> missing, String permission, String use) {
        if (!held) {
            missing.put(permission, use);
        }
    }

    /** The index's mapping of the timestamp field; answers whether the index is missing. */
    private boolean timestampMapping(ElasticsearchPreflight es) {
        String check = "timestamp mapping";
        String index = pair.index();
        try {
            if (!es.indexExists(index)) {
                if (pair.createSchema()) {
                    lines.add(Line.ok(check, "index " + index + " does not exist yet: the daemon creates it with "
                            + pair.timestampField() + " as date at its first cycle"));
                } else {
                    lines.add(new Line(Status.FAILED, check, "index " + index + " does not exist (create-schema=false)",
                            "PUT /" + index + " {\"mappings\":{\"properties\":{\"" + pair.timestampField()
                                    + "\":{\"type\":\"date\"}}}}, or set create-schema=true"));
                }
                return true;
            }
            Optional<String> type = es.fieldType(index, pair.timestampField());
            String putMapping = "PUT /" + index + "/_mapping {\"properties\":{\"" + pair.timestampField()
                    + "\":{\"type\":\"date\"}}}";
            if (type.isEmpty()) {
                lines.add(new Line(Status.WARNING, check, pair.timestampField() + " is not mapped in " + index
                        + " yet: the first document's value decides (a number would make it long)", putMapping));
            } else if (type.get().equals("date") || type.get().equals("date_nanos")) {
                lines.add(Line.ok(check, pair.timestampField() + " is mapped as " + type.get() + " in " + index));
            } else {
                lines.add(new Line(Status.FAILED, check, pair.timestampField() + " is mapped as " + type.get() + " in "
                        + index + ": the window's range reads and the newest-wins comparison need a date",
                        "reindex into an index that maps " + pair.timestampField() + " as date (a mapping type cannot"
                                + " change in place), and point the pair at it"));
            }
        } catch (IOException | RuntimeException e) {
            failed(check, e, "index " + index);
        }
        return false;
    }

    private void elasticsearchPrivileges(ElasticsearchPreflight es, boolean indexMissing) {
        String check = "Elasticsearch privileges";
        String index = pair.index();
        Map<String, String> uses = new LinkedHashMap<>();
        for (ElasticsearchOperation operation : ElasticsearchOperation.values()) {
            if (operation == ElasticsearchOperation.CREATE_INDEX && !(indexMissing && pair.createSchema())) {
                continue;
            }
            uses.merge(operation.privilege(), operation.action(index), (a, b) -> a + ", " + b);
        }
        try {
            Optional<Map<String, Boolean>> held = es.privileges(index, List.copyOf(uses.keySet()));
            if (held.isEmpty()) {
                lines.add(Line.ok(check, "security is off (or not installed) on this cluster: every request is allowed"));
                return;
            }
            Set<String> missing = new LinkedHashSet<>();
            held.get().forEach((privilege, granted) -> {
                if (!granted) {
                    missing.add(privilege);
                }
            });
            if (missing.isEmpty()) {
                lines.add(Line.ok(check, String.join(", ", uses.keySet()) + " on " + index));
            } else {
                List<String> what = missing.stream().map(p -> p + " (to " + uses.get(p) + ")").toList();
                lines.add(new Line(Status.FAILED, check, "missing on index " + index + ": " + String.join("; ", what),
                        "grant the index privilege" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                                + " on " + index + " to the user or API key (" + LEAST_PRIVILEGE + ")"));
            }
        } catch (IOException | RuntimeException e) {
            failed(check, e, "index " + index);
        }
    }

    private void checkpointStore(Optional<CqlSession> cassandra) {
        String check = "checkpoint store";
        HighAvailability ha = daemon.ha();
        if (!ha.checkpointsInCassandra()) {
            Optional<String> problem = StateFolder.problem(daemon.stateDir());
            if (problem.isPresent()) {
                lines.add(new Line(Status.FAILED, check, problem.get(), "give the daemon's user a writable"
                        + " sync.state-dir"));
                return;
            }
        } else if (cassandra.isEmpty()) {
            return;
        }
        try {
            Map<org.cassandraessync.record.Side, Instant> at = checkpoints.load();
            String where = checkpoints.location();
            if (at.isEmpty()) {
                lines.add(Line.ok(check, where + ": none yet, the first cycle reconciles both stores fully"));
            } else {
                List<String> sides = new ArrayList<>();
                at.forEach((side, t) -> sides.add(side.label() + " up to " + Timestamps.format(t)));
                Optional<Checkpoints.Commit> last = checkpoints.lastCommit();
                lines.add(Line.ok(check, where + ": " + String.join(", ", sides)
                        + last.map(c -> " (committed by " + c.instance() + " at " + Timestamps.format(c.at()) + ")")
                                .orElse("")));
            }
        } catch (RuntimeException e) {
            failed(check, e, checkpoints.location());
        }
    }

    private void election() {
        String check = "election";
        HighAvailability ha = daemon.ha();
        if (!ha.enabled()) {
            lines.add(Line.ok(check, "none (sync.ha.cluster-service=none): this instance runs every pair"));
            return;
        }
        try {
            lines.add(Line.ok(check, ElectionProbe.probe(context, ha, daemon.stateDir()) + "; this instance is "
                    + ha.instanceId()));
        } catch (RuntimeException e) {
            lines.add(new Line(Status.FAILED, check, e.getMessage(), "see docs/several-instances.md"));
        }
    }

    private void clocks(Optional<CqlSession> cassandra, Optional<ElasticsearchPreflight> elasticsearch,
            boolean indexMissing) {
        String check = "clock difference";
        Duration overlap = pair.overlap();
        List<String> found = new ArrayList<>();
        Status worst = Status.OK;
        Map<String, Function<Void, StoreClock>> stores = new LinkedHashMap<>();
        cassandra.ifPresent(s -> stores.put("Cassandra", v -> new CassandraPreflight(s).clock()));
        if (elasticsearch.isPresent() && !indexMissing) {
            stores.put("Elasticsearch", v -> {
                try {
                    return elasticsearch.get().clock(pair.index(), pair.timestampField());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        for (Map.Entry<String, Function<Void, StoreClock>> store : stores.entrySet()) {
            try {
                StoreClock clock = store.getValue().apply(null);
                Duration difference = clock.difference();
                Duration beyond = difference.abs().minus(clock.uncertainty());
                found.add(String.format(Locale.ROOT, "%s %+.3f s (± %.3f s)", store.getKey(),
                        difference.toMillis() / 1000.0, clock.uncertainty().toMillis() / 1000.0));
                if (beyond.compareTo(overlap) >= 0) {
                    worst = Status.FAILED;
                } else if (beyond.compareTo(overlap.dividedBy(2)) >= 0 && worst == Status.OK) {
                    worst = Status.WARNING;
                }
            } catch (RuntimeException e) {
                found.add(store.getKey() + " not measured (" + rootMessage(e) + ")");
            }
        }
        if (found.isEmpty()) {
            return;
        }
        String against = " against this host; overlap " + overlap.toMillis() / 1000.0 + " s";
        lines.add(new Line(worst, check, String.join(", ", found) + against, switch (worst) {
            case OK -> "";
            case WARNING -> "over half the overlap: synchronize the clocks (NTP), or raise overlap";
            case FAILED -> "a version written by a host this far off can be missed: synchronize the clocks (NTP),"
                    + " or raise overlap above the difference";
        }));
    }

    private void failed(String check, Throwable e, String where) {
        if (timedOut(e)) {
            // the client's own words ("30,000 milliseconds timeout on connection http-outgoing-0") say less
            lines.add(new Line(Status.FAILED, check, where + ": " + NO_ANSWER, UNREACHABLE_FIX));
            return;
        }
        Optional<String> explained = clients.explain(e, pair.index());
        Optional<String> unreachable = explained.isPresent() ? Optional.empty() : unreachable(e);
        if (unreachable.isPresent()) {
            lines.add(new Line(Status.FAILED, check, where + ": " + unreachable.get(), UNREACHABLE_FIX));
            return;
        }
        lines.add(new Line(Status.FAILED, check, explained.orElse(where + ": " + rootMessage(e)), explained.isPresent()
                ? "" : e instanceof ResponseException ? "see " + LEAST_PRIVILEGE : UNREACHABLE_FIX));
    }

    /** The driver's "Could not reach any contact point …" as one short reason per contact point. */
    private static Optional<String> unreachable(Throwable e) {
        return causes(e).filter(AllNodesFailedException.class::isInstance).map(AllNodesFailedException.class::cast)
                .findFirst().map(failed -> {
                    List<String> reasons = new ArrayList<>();
                    failed.getAllErrors().forEach((node, errors) -> reasons.add(address(node.getEndPoint().resolve())
                            + " " + errors.stream().findFirst().map(PairPreflight::shortReason)
                                    .orElse("did not answer")));
                    return "no contact point answered: " + String.join("; ", reasons);
                });
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress a ? a.getHostString() + ":" + a.getPort()
                : String.valueOf(address);
    }

    private static String shortReason(Throwable e) {
        if (timedOut(e) || String.valueOf(e.getMessage()).contains("timed out")) {
            return NO_ANSWER;
        }
        if (causes(e).anyMatch(t -> t instanceof ConnectException
                || t.getClass().getSimpleName().contains("ClosedChannel"))) {
            return "refused or closed the connection (nothing listens there, or the store is starting)";
        }
        return rootMessage(e);
    }

    private static boolean timedOut(Throwable e) {
        return causes(e).anyMatch(t -> t instanceof SocketTimeoutException || t instanceof DriverTimeoutException);
    }

    /** {@code e} and its causes, outermost first. */
    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = causes(e).reduce((outer, inner) -> inner).orElse(e);
        // one line: an Elasticsearch answer's body follows its status line
        return t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse("");
    }
}

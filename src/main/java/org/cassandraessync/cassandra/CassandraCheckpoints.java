package org.cassandraessync.cassandra;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.record.Json;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.CyclePosition;
import org.cassandraessync.state.StaleTermException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pair's checkpoints as one row of a small table in the pair's own keyspace, which every
 * instance of the daemon reads: after a failover the new leader goes on from the last commit of
 * the old one. (Cassandra is one of the two synced stores, not a third database.) Read and written
 * at LOCAL_QUORUM, so the next leader reads the latest commit. The table is created with the first
 * commit; until then, and until a pair's first commit, there is no checkpoint. When the row is
 * missing, the checkpoint file this daemon kept before ({@code fallback}) is read instead (and the
 * next commit writes the row), so that switching to Cassandra does not reconcile again. The row
 * also holds the pair's leadership term ({@link #beginTerm}): a leader's commit is a lightweight
 * transaction on it ({@code IF term = ?}), refused once another instance has begun a newer term.
 * A long cycle keeps its position there as it goes ({@code cycle_position}, JSON), so that the next
 * one, on any instance, goes on from it.
 */
public final class CassandraCheckpoints implements Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraCheckpoints.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Columns later versions added to the table: created with it, added to an older one. */
    private static final String[][] ADDED_COLUMNS = {{"term", "bigint"}, {"term_instance", "text"},
        {"cycle_position", "text"}};
    private static final ObjectMapper JSON = Json.newMapper();

    private final Supplier<CqlSession> session;
    private final String keyspace;
    private final String table;
    private final String pair;
    private final String instance;
    private final Checkpoints fallback;
    private volatile boolean adoptionLogged;

    public CassandraCheckpoints(Supplier<CqlSession> session, String keyspace, String table, String pair,
            String instance, Checkpoints fallback) {
        this.session = session;
        this.keyspace = keyspace;
        this.table = table;
        this.pair = pair;
        this.instance = instance;
        this.fallback = fallback;
    }

    @Override
    public String location() {
        return "Cassandra table " + keyspace + "." + table + " (pair '" + pair + "')";
    }

    @Override
    public Map<Side, Instant> load() {
        Optional<Row> row = row();
        Map<Side, Instant> result = new EnumMap<>(Side.class);
        // a row that holds a term but no commit yet: the leader of the first term has not committed
        if (row.isEmpty() || row.get().isNull(Side.CASSANDRA.label()) && row.get().isNull(Side.ELASTICSEARCH.label())) {
            Map<Side, Instant> adopted = fallback == null ? Map.of() : fallback.load();
            if (!adopted.isEmpty() && !adoptionLogged) {
                adoptionLogged = true;
                LOG.info("Pair '{}' goes on from {}; its next commit goes to {}", pair, fallback.location(), location());
            }
            result.putAll(adopted);
            return result;
        }
        for (Side side : Side.values()) {
            String value = row.get().getString(side.label());
            if (value != null) {
                result.put(side, Timestamps.parse(value));
            }
        }
        return result;
    }

    @Override
    public void save(Map<Side, Instant> watermarks) {
        CqlSession s = session.get();
        ensureTable(s);
        s.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + "." + table
                + " (pair, cassandra, elasticsearch, instance, committed, cycle_position) VALUES (?, ?, ?, ?, ?, null)",
                pair, format(watermarks.get(Side.CASSANDRA)), format(watermarks.get(Side.ELASTICSEARCH)), instance,
                Instant.now()).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(TIMEOUT));
    }

    @Override
    public Optional<CyclePosition> position() {
        CqlSession s = session.get();
        if (!exists(s)) {
            return fallback == null ? Optional.empty() : fallback.position();
        }
        if (!hasColumn(s, "cycle_position")) {
            // a table of an earlier version holds no position (left as it is: dry-run reads this too)
            return Optional.empty();
        }
        Row row = s.execute(SimpleStatement.newInstance("SELECT cassandra, elasticsearch, cycle_position FROM "
                + keyspace + "." + table + " WHERE pair = ?", pair).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setTimeout(TIMEOUT)).one();
        if (row == null || row.isNull("cycle_position") && row.isNull(Side.CASSANDRA.label())
                && row.isNull(Side.ELASTICSEARCH.label())) {
            // no commit here yet: the checkpoint file this daemon kept before, as load() reads it
            return fallback == null ? Optional.empty() : fallback.position();
        }
        try {
            return CyclePosition.fromJson(row.isNull("cycle_position") ? null
                    : JSON.readTree(row.getString("cycle_position")));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Unreadable cycle position in " + location() + " (" + e.getMessage()
                    + "): set its cycle_position to null to read the cycle's windows again from their start", e);
        }
    }

    @Override
    public void savePosition(CyclePosition position) {
        CqlSession s = session.get();
        ensureTable(s);
        s.execute(SimpleStatement.newInstance("UPDATE " + keyspace + "." + table + " SET cycle_position = ? WHERE"
                + " pair = ?", json(position), pair).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setTimeout(TIMEOUT));
    }

    @Override
    public void savePosition(CyclePosition position, long term) {
        CqlSession s = session.get();
        ensureTable(s);
        ResultSet result = s.execute(lwt(SimpleStatement.newInstance("UPDATE " + keyspace + "." + table
                + " SET cycle_position = ? WHERE pair = ? IF term = ?", json(position), pair, term)));
        if (!result.wasApplied()) {
            throw new StaleTermException(location(), term, currentTerm(s).orElse(new Term(0, "none")));
        }
    }

    private static String json(CyclePosition position) {
        return position.toJson(JSON).toString();
    }

    @Override
    public long beginTerm() {
        CqlSession s = session.get();
        ensureTable(s);
        String t = keyspace + "." + table;
        for (int attempt = 0; attempt < 20; attempt++) {
            Row row = termRow(s);
            long next = row == null || row.isNull("term") ? 1 : row.getLong("term") + 1;
            String update = "UPDATE " + t + " SET term = ?, term_instance = ? WHERE pair = ?";
            SimpleStatement claim = row == null
                    ? SimpleStatement.newInstance("INSERT INTO " + t + " (pair, term, term_instance) VALUES (?, ?, ?)"
                            + " IF NOT EXISTS", pair, next, instance)
                    : row.isNull("term")
                            ? SimpleStatement.newInstance(update + " IF term = null", next, instance, pair)
                            : SimpleStatement.newInstance(update + " IF term = ?", next, instance, pair, next - 1);
            if (s.execute(lwt(claim)).wasApplied()) {
                return next;
            }
            // another instance began a term between the read and the write: read again
        }
        throw new IllegalStateException("could not begin a leadership term of pair '" + pair + "' in " + location()
                + ": other instances kept beginning terms");
    }

    @Override
    public void save(Map<Side, Instant> watermarks, long term) {
        CqlSession s = session.get();
        ensureTable(s);
        ResultSet result = s.execute(lwt(SimpleStatement.newInstance("UPDATE " + keyspace + "." + table
                + " SET cassandra = ?, elasticsearch = ?, instance = ?, committed = ?, cycle_position = null"
                + " WHERE pair = ? IF term = ?",
                format(watermarks.get(Side.CASSANDRA)), format(watermarks.get(Side.ELASTICSEARCH)), instance,
                Instant.now(), pair, term)));
        if (!result.wasApplied()) {
            throw new StaleTermException(location(), term, currentTerm(s).orElse(new Term(0, "none")));
        }
    }

    @Override
    public Optional<Term> currentTerm() {
        CqlSession s = session.get();
        return exists(s) && hasColumn(s, "term") ? currentTerm(s) : Optional.empty();
    }

    /** The newest term, read at LOCAL_SERIAL (it sees every term begun, even one still being written). */
    private Optional<Term> currentTerm(CqlSession s) {
        Row row = termRow(s);
        return row == null || row.isNull("term") ? Optional.empty()
                : Optional.of(new Term(row.getLong("term"), String.valueOf(row.getString("term_instance"))));
    }

    private Row termRow(CqlSession s) {
        return s.execute(SimpleStatement.newInstance("SELECT term, term_instance FROM " + keyspace + "." + table
                + " WHERE pair = ?", pair).setConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL).setTimeout(TIMEOUT)).one();
    }

    private static SimpleStatement lwt(SimpleStatement statement) {
        return statement.setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setSerialConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL).setTimeout(TIMEOUT);
    }

    /**
     * The table, with the columns of the term and the cycle's position (a table created by an
     * earlier version gets them added).
     */
    private void ensureTable(CqlSession s) {
        if (!exists(s)) {
            create(s);
            return;
        }
        boolean added = false;
        for (String[] column : ADDED_COLUMNS) {
            if (!hasColumn(s, column[0])) {
                added = true;
                try {
                    s.execute(SimpleStatement.newInstance("ALTER TABLE " + keyspace + "." + table + " ADD " + column[0]
                            + " " + column[1]).setTimeout(Duration.ofSeconds(60)));
                } catch (InvalidQueryException e) {
                    // added by another instance meanwhile
                }
            }
        }
        if (added) {
            s.refreshSchema();
        }
    }

    private boolean hasColumn(CqlSession s, String column) {
        return s.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(table))
                .flatMap(t -> t.getColumn(column)).isPresent();
    }

    @Override
    public Optional<Commit> lastCommit() {
        return row().filter(r -> r.getString("instance") != null && r.getInstant("committed") != null)
                .map(r -> new Commit(r.getString("instance"), r.getInstant("committed")));
    }

    private Optional<Row> row() {
        CqlSession s = session.get();
        if (!exists(s)) {
            return Optional.empty();
        }
        return Optional.ofNullable(s.execute(SimpleStatement.newInstance("SELECT cassandra, elasticsearch, instance,"
                + " committed FROM " + keyspace + "." + table + " WHERE pair = ?", pair)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(TIMEOUT)).one());
    }

    private boolean exists(CqlSession s) {
        return s.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(table)).isPresent();
    }

    private void create(CqlSession s) {
        s.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS " + keyspace + "." + table
                + " (pair text PRIMARY KEY, cassandra text, elasticsearch text, instance text, committed timestamp,"
                + " term bigint, term_instance text, cycle_position text)")
                .setTimeout(Duration.ofSeconds(60)));
        s.refreshSchema();
        LOG.info("Created {}.{} for the pairs' checkpoints", keyspace, table);
    }

    private static String format(Instant t) {
        return t == null ? null : Timestamps.format(t);
    }
}

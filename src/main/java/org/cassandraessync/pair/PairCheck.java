package org.cassandraessync.pair;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.cycle.NewestWinsAggregationStrategy;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.record.NewestWins;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.state.Checkpoints;
import org.cassandraessync.state.DeadLetters;

/**
 * Compares a pair's two stores outside the route, a page at a time (bounded memory, whatever the
 * table size): {@code verify} over everything both stores hold, {@code dry-run} over the windows the
 * next cycle would read. Each side is read as a cycle reads it (Cassandra by token order, or by the
 * timestamp index for a window; Elasticsearch in a point-in-time), with the other store's copies of
 * each page looked up by id, and every id whose copies differ is reported. {@code verify} reads the
 * table as {@link #VERIFY_SLICES} token ranges side by side, then counts the index (after a refresh):
 * when it holds exactly the copies the Cassandra pass found, no document lacks its row and the
 * Elasticsearch pass is not needed (a user who may not refresh the index, or any other count, gets
 * the Elasticsearch pass). {@code verify} judges a difference by what the sync would write: the
 * winner through the pair's own steps ({@code to-elasticsearch}, {@code to-cassandra}), so a copy
 * those steps masked or a record they stop is no difference. Nothing is written, no
 * checkpoint moves and no dead letter is filed, except that {@code repair} writes the newest
 * version over each difference with the daemon's conditional writes (a copy that changed in the
 * meantime is left alone and counted as a conflict).
 */
public final class PairCheck {

    /** Token ranges of the table that {@code verify} reads side by side. */
    static final int VERIFY_SLICES = 4;

    /** How the two copies of one id differ. */
    public enum Difference {
        MISSING_IN_ELASTICSEARCH("missing in Elasticsearch", Side.ELASTICSEARCH),
        MISSING_IN_CASSANDRA("missing in Cassandra", Side.CASSANDRA),
        NEWER_IN_CASSANDRA("newer in Cassandra", Side.CASSANDRA),
        NEWER_IN_ELASTICSEARCH("newer in Elasticsearch", Side.ELASTICSEARCH),
        SAME_TIMESTAMP_DIFFERENT_CONTENT("same timestamp, different content", null),
        UNREADABLE("unreadable (would be a dead letter)", null);

        private final String text;
        /** The store the record is missing in, or newer in. */
        private final Side side;

        Difference(String text, Side side) {
            this.text = text;
            this.side = side;
        }

        static Difference missingIn(Side side) {
            return side == MISSING_IN_CASSANDRA.side ? MISSING_IN_CASSANDRA : MISSING_IN_ELASTICSEARCH;
        }

        static Difference newerIn(Side side) {
            return side == NEWER_IN_CASSANDRA.side ? NEWER_IN_CASSANDRA : NEWER_IN_ELASTICSEARCH;
        }

        public String text() {
            return text;
        }

        /** Why the daemon would write the winner: the target lacks the record, holds an older copy, or a tie. */
        public String reason() {
            return switch (this) {
                case MISSING_IN_CASSANDRA, MISSING_IN_ELASTICSEARCH -> "missing";
                case NEWER_IN_CASSANDRA, NEWER_IN_ELASTICSEARCH -> "older";
                case SAME_TIMESTAMP_DIFFERENT_CONTENT -> "tie-break";
                case UNREADABLE -> "unreadable";
            };
        }
    }

    /**
     * One id whose copies differ. {@code winner}: the store whose copy the daemon keeps (null for
     * an unreadable copy); the timestamps are null where that store has no readable copy.
     */
    public record Found(UUID id, Difference kind, Instant cassandraLastModified, Instant elasticsearchLastModified,
            Side winner, String detail) {
    }

    /**
     * What one check read and found. {@code elasticsearchByCopies}: every document was the copy of a
     * row the Cassandra pass compared, so no Elasticsearch pass ran ({@code readElasticsearch}
     * counts those copies). {@code shapedByYourSteps}: ids whose copies differ only as the pair's
     * own steps shape them (a masked field, a record they stop), which are no differences.
     */
    public record Result(String pair, long readCassandra, long readElasticsearch, Map<Difference, Long> differences,
            long shapedByYourSteps, long repaired, long conflicts, long millis, boolean elasticsearchByCopies) {

        public long total() {
            return differences.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final PairSettings settings;
    private final StoreClients clients;
    private final StoreFactory storeFactory;
    private final CamelContext context;
    private ProducerTemplate producer;
    private final Path stateDir;
    private final ObjectMapper json;
    private final ExecutorService readAhead;
    private final ExecutorService bulkSenders;

    PairCheck(CamelContext context, PairSettings settings, StoreClients clients, StoreFactory storeFactory,
            ObjectMapper json, ExecutorService readAhead, ExecutorService bulkSenders) {
        this.context = context;
        // a check never creates a table or an index: a missing one is an error
        this.settings = settings.withoutSchemaCreation();
        this.clients = clients;
        this.storeFactory = storeFactory;
        this.stateDir = clients.settings().stateDir();
        this.json = json;
        this.readAhead = readAhead;
        this.bulkSenders = bulkSenders;
    }

    /** Compares everything both stores hold; {@code repair} writes the newest version where they differ. */
    public Result verify(boolean repair, Consumer<Found> found) {
        return run(true, repair, found);
    }

    /** Compares what the next cycle would read (from the current checkpoints); writes nothing. */
    public Result dryRun(Consumer<Found> found) {
        return run(false, false, found);
    }

    private Result run(boolean everything, boolean repair, Consumer<Found> sink) {
        Map<Difference, Long> counts = new EnumMap<>(Difference.class);
        for (Difference d : Difference.values()) {
            counts.put(d, 0L);
        }
        AtomicLong shaped = new AtomicLong();
        // the readers of verify run side by side
        Consumer<Found> counted = f -> {
            synchronized (counts) {
                counts.merge(f.kind(), 1L, Long::sum);
                sink.accept(f);
            }
        };
        DeadLetters unreadable = new DeadLetters(stateDir, settings.pair(), json) {
            @Override
            public void reject(Side side, Object id, String reason, Object record) {
                counted.accept(new Found(id instanceof UUID u ? u : null, Difference.UNREADABLE, null, null, null,
                        side.label() + ": " + reason));
            }
        };
        Checkpoints checkpoints = PairStores.checkpoints(settings, clients, json);
        SyncCycle cycle = new SyncCycle(settings.pair(), checkpoints, unreadable, settings.overlap(),
                settings.period(), Clock.systemUTC());
        PairStores stores = new PairStores(storeFactory.open(settings, cycle, unreadable, readAhead, bulkSenders),
                cycle, readAhead).prepare();
        cycle.progress().estimator(stores::estimate);
        cycle.begin();
        if (everything) {
            cycle.openFullWindows();
        } else {
            cycle.openWindows(stores::isEmpty);
        }
        // the side read first; the other side's pass reports only what the first could not see
        Side first = Side.values()[0];
        SyncWindow firstWindow = cycle.window(first);
        // verify: each side in slices read side by side (a repair writes from one reader)
        boolean sideBySide = everything && !repair;
        AtomicLong copiesFound = new AtomicLong();
        long secondCompared = -1;
        for (Side side : Side.values()) {
            if (side != first && sideBySide) {
                OptionalLong records = stores.store(side).countAll();
                if (records.isPresent() && records.getAsLong() == copiesFound.get()) {
                    // every record is the copy of one the first pass compared (no deletes, ids are
                    // unique): nothing is left for this pass to find
                    secondCompared = records.getAsLong();
                    continue;
                }
            }
            if (cycle.alreadyRead(side)) {
                // dry-run: the next cycle goes on from a cycle that had read this side to its end
                continue;
            }
            List<Iterator<List<SyncRecord>>> readers = sideBySide ? stores.slices(side, VERIFY_SLICES)
                    : List.of(stores.changes(side, cycle.goesOnFrom(side).orElse(null)));
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (Iterator<List<SyncRecord>> pages : readers) {
                Comparison comparison = new Comparison(side == first, everything, repair, firstWindow, stores, cycle,
                        counted, shaped, copiesFound);
                running.add(CompletableFuture.runAsync(() -> compareAll(pages, comparison), readAhead));
            }
            try {
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                running.forEach(r -> r.cancel(true));
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (repair) {
                cycle.awaitWrites();
                stores.afterWrites(side.opposite());
            }
        }
        CycleSummary totals = cycle.totals();
        return new Result(settings.pair(), totals.readCassandra(),
                secondCompared >= 0 ? secondCompared : totals.readElasticsearch(), counts, shaped.get(),
                totals.writtenInAll(), totals.conflicts(),
                totals.millis(), secondCompared >= 0);
    }

    /**
     * One reader's part of a check. {@code firstPass}: the side read first (the second side's pass
     * reports only what the first could not see); {@code everything}: verify (dry-run reports what
     * the next cycle would write, as it would); {@code shaped} counts the ids whose copies differ
     * only as the pair's own steps shape them; {@code copiesFound} the first side's records whose
     * copy was found.
     */
    private record Comparison(boolean firstPass, boolean everything, boolean repair, SyncWindow firstWindow,
            PairStores stores, SyncCycle cycle, Consumer<Found> counted, AtomicLong shaped, AtomicLong copiesFound) {
    }

    /** Compares each record of {@code pages} with its copy in the other store; a repair writes the winners. */
    private void compareAll(Iterator<List<SyncRecord>> pages, Comparison c) {
        while (pages.hasNext()) {
            List<SyncRecord> page = c.cycle().pageRead(pages.next());
            List<SyncRecord> both = c.stores().withCounterparts(page);
            Map<UUID, SyncRecord> counterparts = new HashMap<>();
            both.subList(page.size(), both.size()).forEach(copy -> counterparts.put(copy.id(), copy));
            if (c.firstPass()) {
                c.copiesFound().addAndGet(counterparts.size());
            }
            Map<Side, List<PendingWrite>> writes = new EnumMap<>(Side.class);
            for (SyncRecord r : page) {
                SyncRecord other = counterparts.get(r.id());
                if (!c.firstPass() && other != null && (c.firstWindow().isFull()
                        || c.firstWindow().covers(other.lastModified()))) {
                    continue;
                }
                Found f = compare(r, other, settings.tieBreaker());
                if (f == null) {
                    continue;
                }
                if (f.winner() == null) {
                    c.counted().accept(f);
                    continue;
                }
                SyncRecord source = f.winner() == r.side() ? r : other;
                SyncRecord copy = source == r ? other : r;
                // what the sync writes: the winner as the pair's own steps leave it (null: they stop it);
                // dry-run lists what the next cycle would send through them
                SyncRecord written = c.everything() ? throughYourSteps(source, copy) : source;
                if (c.everything() && shapedByYourSteps(f, source, copy, written)) {
                    c.shaped().incrementAndGet();
                    continue;
                }
                c.counted().accept(f);
                if (c.repair() && written != null) {
                    writes.computeIfAbsent(written.side().opposite(), k -> new ArrayList<>())
                            .add(new PendingWrite(written, copy));
                }
            }
            writes.forEach(c.stores()::write);
        }
    }

    /**
     * True when the copies differ only as the pair's own steps shape them, so the sync leaves them
     * as they are: {@code copy} is what the steps make of the winner on its way to the copy's store
     * ({@code written}, a masked field say), or the steps stop the winner there; or, on equal
     * timestamps, the winner is what the other store's steps made of the copy (a masked copy that
     * the tie-breaker favours). False when the pair names no steps.
     */
    private boolean shapedByYourSteps(Found f, SyncRecord source, SyncRecord copy, SyncRecord written) {
        if (settings.yourSteps(source.side().opposite()).isPresent()
                && (written == null || copy != null && written.sameVersionAs(copy))) {
            return true;
        }
        if (f.kind() != Difference.SAME_TIMESTAMP_DIFFERENT_CONTENT || settings.yourSteps(source.side()).isEmpty()) {
            return false;
        }
        SyncRecord madeOfCopy = throughYourSteps(copy, source);
        return madeOfCopy != null && madeOfCopy.sameVersionAs(source);
    }

    /**
     * The winner as the pair's own steps on its way to the other store leave it (the route's
     * {@code to-elasticsearch} or {@code to-cassandra} endpoint, the same the sync sends it
     * through), or null when they stop it; the winner itself when the pair names no such endpoint.
     */
    private SyncRecord throughYourSteps(SyncRecord winner, SyncRecord replacing) {
        Side target = winner.side().opposite();
        Optional<String> endpoint = settings.yourSteps(target);
        if (endpoint.isEmpty()) {
            return winner;
        }
        Exchange done = producer().send(endpoint.get(), e -> {
            e.getMessage().setBody(winner);
            e.setProperty(NewestWinsAggregationStrategy.REPLACING, replacing);
        });
        if (done.getException() != null) {
            throw new IllegalStateException("your steps on the way to " + target.label() + " (" + endpoint.get()
                    + ") failed for record " + winner.id() + ": " + done.getException().getMessage(),
                    done.getException());
        }
        return done.isRouteStop() ? null : done.getMessage().getBody(SyncRecord.class);
    }

    /**
     * A template to send winners through the pair's own steps; the routes consuming those endpoints
     * started first (the commands run the daemon's routes without starting them).
     */
    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            for (Side target : Side.values()) {
                settings.yourSteps(target).ifPresent(this::startRouteOf);
            }
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    private void startRouteOf(String uri) {
        String endpoint = context.getEndpoint(uri).getEndpointUri();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().equals(endpoint)
                    && !context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                try {
                    context.getRouteController().startRoute(route.getRouteId());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the route of " + uri + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** How {@code r} and its other copy differ, or null when they are the same version. */
    static Found compare(SyncRecord r, SyncRecord other, Side tieBreaker) {
        Instant c = lastModifiedIn(Side.CASSANDRA, r, other);
        Instant e = lastModifiedIn(Side.ELASTICSEARCH, r, other);
        if (other == null) {
            return new Found(r.id(), Difference.missingIn(r.side().opposite()), c, e, r.side(), null);
        }
        if (r.sameVersionAs(other)) {
            return null;
        }
        Side newer = NewestWins.winner(r, other, tieBreaker).side();
        if (c.equals(e)) {
            return new Found(r.id(), Difference.SAME_TIMESTAMP_DIFFERENT_CONTENT, c, e, newer, null);
        }
        // an unreadable copy (reported as such by the mapper) carries Instant.MIN: the readable one wins
        Instant readableC = Instant.MIN.equals(c) ? null : c;
        Instant readableE = Instant.MIN.equals(e) ? null : e;
        return new Found(r.id(), Difference.newerIn(newer), readableC, readableE, newer, null);
    }

    /** The last_modified of the copy in {@code side} (r or its other copy), null when there is none. */
    private static Instant lastModifiedIn(Side side, SyncRecord r, SyncRecord other) {
        SyncRecord copy = r.side() == side ? r : other;
        return copy == null ? null : copy.lastModified();
    }
}

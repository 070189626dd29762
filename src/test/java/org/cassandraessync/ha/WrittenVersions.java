package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.CassandraInsert;
import org.cassandraessync.support.TestStores;

/**
 * The records of the scenarios with several instances, as the applications wrote them: per pair,
 * the newest version each id was given (what both stores must hold in the end). Every version is
 * newer than every one before it (strictly increasing timestamps). The writers are applications
 * updating existing ids in both stores of every pair, so the same ids change on both sides.
 */
final class WrittenVersions {

    private final Map<String, TestStores> pairs;
    private final Map<String, Map<UUID, Version>> newest = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private Thread writers;
    private final Map<String, CassandraInsert> inserts = new ConcurrentHashMap<>();

    record Version(Instant lastModified, String name) {
    }

    /** {@code pairs}: each pair's name and stores (a table with a {@code name text} column and an index). */
    WrittenVersions(Map<String, TestStores> pairs) {
        this.pairs = pairs;
        pairs.keySet().forEach(pair -> newest.put(pair, new ConcurrentHashMap<>()));
    }

    /**
     * Creates each pair's table ({@code name text}) and index, and preloads {@code count} rows and
     * as many documents per pair.
     */
    static WrittenVersions onNewTables(Map<String, TestStores> pairs, int count) {
        for (TestStores stores : pairs.values()) {
            stores.createTable("name text");
            stores.createIndex();
        }
        WrittenVersions versions = new WrittenVersions(pairs);
        versions.preload(count);
        return versions;
    }

    /** {@code count} new rows in Cassandra and as many new documents in Elasticsearch, per pair. */
    void preload(int count) {
        for (var pair : pairs.entrySet()) {
            Map<UUID, Version> rows = new LinkedHashMap<>();
            Map<UUID, Map<String, Object>> documents = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                rows.put(UUID.randomUUID(), next(pair.getKey() + " " + i + " from cassandra"));
                Version d = next(pair.getKey() + " " + i + " from elasticsearch");
                UUID docId = UUID.randomUUID();
                newest.get(pair.getKey()).put(docId, d);
                documents.put(docId, Map.of("last_modified", Timestamps.format(d.lastModified()), "name", d.name()));
            }
            insertAll(pair.getKey(), rows);
            pair.getValue().indexAll(documents);
        }
    }

    /** {@code count} new rows in the pair's Cassandra table at once. */
    void burst(String pair, int count) {
        Map<UUID, Version> rows = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            rows.put(UUID.randomUUID(), next("burst " + i));
        }
        insertAll(pair, rows);
    }

    /** Ids the pair holds (as written). */
    int size(String pair) {
        return newest.get(pair).size();
    }

    /** Starts the writers: about 20 versions a second per pair, alternately in Cassandra and Elasticsearch. */
    void startWriting() {
        running.set(true);
        writers = new Thread(this::write, "ha-writers");
        writers.start();
    }

    /** Waits until the writers have written {@code count} more versions. */
    void awaitMore(long count) {
        long target = written.get() + count;
        await("writers at work").atMost(Duration.ofSeconds(60)).until(() -> written.get() >= target);
    }

    void stopWriting() throws InterruptedException {
        running.set(false);
        if (writers != null) {
            writers.join(10_000);
        }
    }

    long written() {
        return written.get();
    }

    /** Both stores of the pair hold every id at its newest version. */
    void assertNewestEverywhere(String pair) {
        Map<Side, Map<UUID, SyncRecord>> both = pairs.get(pair).readBothStores();
        for (Side side : Side.values()) {
            Map<UUID, SyncRecord> held = both.get(side);
            assertThat(held.keySet()).as(pair + " ids in " + side.label())
                    .containsExactlyInAnyOrderElementsOf(newest.get(pair).keySet());
            for (var expected : newest.get(pair).entrySet()) {
                SyncRecord r = held.get(expected.getKey());
                assertThat(r.lastModified().truncatedTo(ChronoUnit.MILLIS)).as(pair + " " + expected.getKey() + " in "
                        + side.label()).isEqualTo(expected.getValue().lastModified());
                assertThat(r.fields().get("name")).as(pair + " " + expected.getKey() + " name in " + side.label())
                        .isEqualTo(expected.getValue().name());
            }
        }
    }

    /** Waits (up to {@code timeout}) until both stores of every pair hold every newest version. */
    void awaitNewestEverywhere(Duration timeout) {
        for (String pair : pairs.keySet()) {
            await("both stores of " + pair + " hold every newest version").atMost(timeout)
                    .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .untilAsserted(() -> assertNewestEverywhere(pair));
        }
    }

    /**
     * Inserts the rows into the pair's table, at most 256 in flight (the driver refuses more per
     * connection); the writers see an id only once its insert landed, so they never race it.
     */
    private void insertAll(String pair, Map<UUID, Version> rows) {
        CassandraInsert insert = pairs.get(pair).insertInto("name");
        List<CompletableFuture<?>> writes = new ArrayList<>();
        Map<UUID, Version> inFlight = new LinkedHashMap<>();
        for (var row : rows.entrySet()) {
            inFlight.put(row.getKey(), row.getValue());
            writes.add(insert.rowAsync(row.getKey(), row.getValue().lastModified(), row.getValue().name()));
            if (writes.size() >= 256) {
                landed(pair, writes, inFlight);
            }
        }
        landed(pair, writes, inFlight);
    }

    private void landed(String pair, List<CompletableFuture<?>> writes, Map<UUID, Version> inFlight) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        newest.get(pair).putAll(inFlight);
        writes.clear();
        inFlight.clear();
    }

    /** A version newer than every one before it (the writers never produce two equal timestamps). */
    private Version next(String name) {
        long now = Instant.now().toEpochMilli();
        long millis = clock.updateAndGet(last -> Math.max(last + 1, now));
        return new Version(Instant.ofEpochMilli(millis), name);
    }

    /** Any id of the pair. */
    UUID anyId(String pair) {
        List<UUID> ids = List.copyOf(newest.get(pair).keySet());
        return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    /**
     * Writes a new version of {@code id} to one store, as an application would: a write that fails
     * (a store frozen by the scenario; it may still land) is written again until it is acknowledged.
     */
    synchronized Version writeOne(String pair, UUID id, boolean toCassandra) {
        Version v = next("update " + written.get());
        while (true) {
            try {
                if (toCassandra) {
                    inserts.computeIfAbsent(pair, p -> pairs.get(p).insertInto("name")).row(id, v.lastModified(),
                            v.name());
                } else {
                    pairs.get(pair).index(id, Map.of("last_modified", Timestamps.format(v.lastModified()), "name",
                            v.name()));
                }
                break;
            } catch (RuntimeException storeFrozen) {
                sleep(500);
            }
        }
        newest.get(pair).put(id, v);
        written.incrementAndGet();
        return v;
    }

    private void write() {
        int n = 0;
        while (running.get()) {
            for (String pair : pairs.keySet()) {
                writeOne(pair, anyId(pair), n++ % 2 == 0);
            }
            // the writers' pace: about 20 versions a second per pair
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

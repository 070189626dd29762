package org.cassandraessync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import org.cassandraessync.bench.BenchRecords.BenchRecord;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.record.Timestamps;

/**
 * The incremental load: an application writing {@code rate} changes per second to each store
 * (half new records, half updates of existing ones; Cassandra updates even-numbered records,
 * Elasticsearch odd ones, so the two sides never race on a record), while a probe measures how
 * long each sampled change takes to become visible, in that version, in the other store.
 * Visibility is polled every {@value #PROBE_MILLIS} ms (Cassandra point reads; Elasticsearch
 * real-time multi-get), which is the resolution of the measured delays.
 */
final class ChangeLoad {

    static final long PROBE_MILLIS = 100;
    private static final long TICK_MILLIS = 50;

    /** A change written to {@code source}; visible once the other store holds it at {@code lastModified}. */
    record Change(boolean toElasticsearch, UUID id, Instant lastModified, long writtenNanos) {
    }

    /** Delays in milliseconds, by the time the change was written (ms since the load started). */
    record Observation(long writtenAtMillis, long delayMillis) {
    }

    /**
     * {@code written}: changes on both sides together. The instants ({@link System#nanoTime()}):
     * the load's start, its end, and the end of the drain (every sampled change arrived, or the
     * drain timed out). {@code probeReads}: the probe's reads of the other store (a Cassandra point
     * read or one document of an Elasticsearch multi-get per sampled change per poll), the load's
     * only cost that an application would not have.
     */
    record Outcome(long written, List<Observation> observations, long drainMillis, long missing, long startNanos,
            long loadEndNanos, long drainedNanos, long probeReads) {

        double loadSeconds() {
            return (loadEndNanos - startNanos) / 1e9;
        }
    }

    private final StoreClients clients;
    private final BenchPair pair;
    private final long existing;
    private final long seed;
    private final long freshSeed;
    private final int sampleEvery;
    private final PreparedStatement insert;
    private final PreparedStatement read;
    private final ConcurrentLinkedQueue<Change> pendingSamples = new ConcurrentLinkedQueue<>();
    private final List<Change> all = new ArrayList<>();
    private final List<Observation> observations = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong probeReads = new AtomicLong();
    private volatile long loadStart;

    /**
     * Updates pick records 0..existing-1 of the set {@code seed}; new records are numbered from 0 in
     * the sets {@code freshSeed} (Cassandra) and {@code freshSeed + 1} (Elasticsearch), so two loads
     * on the same pair need fresh seeds that differ by at least 2.
     */
    ChangeLoad(StoreClients clients, BenchPair pair, long existing, long seed, long freshSeed, int sampleEvery) {
        this.clients = clients;
        this.pair = pair;
        this.existing = existing;
        this.seed = seed;
        this.freshSeed = freshSeed;
        this.sampleEvery = sampleEvery;
        this.insert = clients.cassandra().prepare(String.format(BenchRecords.INSERT_CQL, pair.table()));
        this.read = clients.cassandra().prepare("SELECT id, last_modified FROM " + pair.table() + " WHERE id = ?");
    }

    /** Writes {@code rate} changes/s to each side for {@code duration}, then waits for every change to arrive. */
    Outcome run(int rate, Duration duration, Duration drainTimeout) {
        Thread probe = new Thread(this::probe, "bench-probe");
        loadStart = System.nanoTime();
        probe.start();
        long fresh = 0;
        long written = 0;
        Semaphore cassandraPermits = new Semaphore(256);
        try {
            long end = loadStart + duration.toNanos();
            while (System.nanoTime() < end && failure.get() == null) {
                long due = (System.nanoTime() - loadStart) * rate / 1_000_000_000L;
                long behind = due - written;
                if (behind > 0) {
                    List<BenchRecord> toCassandra = new ArrayList<>();
                    List<BenchRecord> toElasticsearch = new ArrayList<>();
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    for (long i = 0; i < behind; i++, written++) {
                        boolean update = (written & 1) == 0;
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        long even = random.nextLong(existing / 2) * 2;
                        toCassandra.add(update ? BenchRecords.record(seed, even, now).changed(now, random.nextInt(1000))
                                : BenchRecords.record(freshSeed, fresh, now));
                        toElasticsearch.add(update ? BenchRecords.record(seed, even + 1, now)
                                .changed(now, random.nextInt(1000)) : BenchRecords.record(freshSeed + 1, fresh, now));
                        if (!update) {
                            fresh++;
                        }
                    }
                    writeCassandra(toCassandra, cassandraPermits);
                    writeElasticsearch(toElasticsearch);
                }
                DaemonProcess.pause(TICK_MILLIS);
            }
            cassandraPermits.acquireUninterruptibly(256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long loadEnd = System.nanoTime();
        long deadline = loadEnd + drainTimeout.toNanos();
        while (!pendingSamples.isEmpty() && System.nanoTime() < deadline && failure.get() == null) {
            DaemonProcess.pause(PROBE_MILLIS);
        }
        long drained = System.nanoTime();
        long drain = (drained - loadEnd) / 1_000_000;
        probe.interrupt();
        try {
            probe.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("load or probe failed", failure.get());
        }
        // every change, not only the sampled ones, must have arrived
        List<Change> remaining = invisible(all);
        while (!remaining.isEmpty() && System.nanoTime() < deadline) {
            DaemonProcess.pause(PROBE_MILLIS);
            remaining = invisible(remaining);
        }
        long missing = remaining.size();
        synchronized (observations) {
            return new Outcome(written * 2, List.copyOf(observations), drain, missing, loadStart, loadEnd, drained,
                    probeReads.get());
        }
    }

    private void writeCassandra(List<BenchRecord> records, Semaphore permits) {
        for (BenchRecord r : records) {
            permits.acquireUninterruptibly();
            Change change = track(true, r);
            clients.cassandra().executeAsync(insert.bind(r.cqlValues())).whenComplete((rs, e) -> {
                permits.release();
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else if (change != null) {
                    pendingSamples.add(change);
                }
            });
        }
    }

    private void writeElasticsearch(List<BenchRecord> records) throws IOException {
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        List<Change> samples = new ArrayList<>();
        for (BenchRecord r : records) {
            bulk.operations(o -> o.index(i -> i.index(pair.index()).id(r.id().toString()).document(r.document())));
            Change change = track(false, r);
            if (change != null) {
                samples.add(change);
            }
        }
        if (clients.elasticsearch().bulk(bulk.build()).errors()) {
            throw new IllegalStateException("load bulk write failed");
        }
        pendingSamples.addAll(samples);
    }

    /** Remembers every change for the final check; answers it when it is one of the sampled ones. */
    private Change track(boolean toElasticsearch, BenchRecord r) {
        Change change = new Change(toElasticsearch, r.id(), r.lastModified(), System.nanoTime());
        synchronized (all) {
            all.add(change);
            return all.size() % sampleEvery == 0 ? change : null;
        }
    }

    private void probe() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<Change> batch = new ArrayList<>(pendingSamples);
                long now = System.nanoTime();
                List<Change> seen = new ArrayList<>(batch);
                probeReads.addAndGet(batch.size());
                seen.removeAll(invisible(batch));
                for (Change c : seen) {
                    pendingSamples.remove(c);
                    synchronized (observations) {
                        observations.add(new Observation((c.writtenNanos() - loadStart) / 1_000_000,
                                (now - c.writtenNanos()) / 1_000_000));
                    }
                }
                Thread.sleep(PROBE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The changes the other store does not hold yet (in that version or a later one). */
    private List<Change> invisible(List<Change> changes) {
        List<Change> missing = new ArrayList<>();
        List<Change> toElasticsearch = changes.stream().filter(Change::toElasticsearch).toList();
        for (int from = 0; from < toElasticsearch.size(); from += 1000) {
            missing.addAll(missingInElasticsearch(toElasticsearch.subList(from,
                    Math.min(toElasticsearch.size(), from + 1000))));
        }
        List<Change> toCassandra = changes.stream().filter(c -> !c.toElasticsearch()).toList();
        Semaphore permits = new Semaphore(64);
        List<java.util.concurrent.CompletableFuture<Void>> reads = new ArrayList<>();
        for (Change c : toCassandra) {
            permits.acquireUninterruptibly();
            reads.add(clients.cassandra().executeAsync(read.bind(c.id())).toCompletableFuture().thenAccept(rs -> {
                Row row = rs.one();
                if (row == null || row.getInstant(1).isBefore(c.lastModified())) {
                    synchronized (missing) {
                        missing.add(c);
                    }
                }
            }).whenComplete((v, e) -> permits.release()));
        }
        java.util.concurrent.CompletableFuture.allOf(reads.toArray(java.util.concurrent.CompletableFuture[]::new))
                .join();
        return missing;
    }

    @SuppressWarnings("rawtypes")
    private List<Change> missingInElasticsearch(List<Change> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        Map<String, Change> byId = new HashMap<>();
        changes.forEach(c -> byId.put(c.id().toString(), c));
        try {
            List<Change> missing = new ArrayList<>();
            Iterator<MultiGetResponseItem<Map>> docs = clients.elasticsearch()
                    .mget(m -> m.index(pair.index()).ids(List.copyOf(byId.keySet()))
                            .sourceIncludes("last_modified"), Map.class)
                    .docs().iterator();
            while (docs.hasNext()) {
                var doc = docs.next().result();
                Change c = byId.get(doc.id());
                if (!doc.found() || Timestamps.parse(doc.source().get("last_modified")).isBefore(c.lastModified())) {
                    missing.add(c);
                }
            }
            return missing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

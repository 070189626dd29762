package org.cassandraessync.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.cassandraessync.record.KnownVersions;
import org.cassandraessync.record.PendingWrite;
import org.cassandraessync.record.Positioned;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SideStore;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.record.WriteOutcomes;
import org.cassandraessync.state.DeadLetters;

/**
 * One side of a pair held in memory, with what the engine relies on from a real store: each version
 * has a stamp that only grows (as Elasticsearch's sequence numbers), a window is read oldest first in
 * pages with versions the cycle knows skipped before their content is read, and a write lands only
 * if the copy it replaces is still the one there. An application writes with {@link #put}.
 */
public final class InMemoryStore implements SideStore {

    /** Stamps shared by every store of a test, so that a later write always has a larger stamp. */
    private static final AtomicLong STAMPS = new AtomicLong();

    private final Side side;
    private final int pageSize;
    private final Map<UUID, SyncRecord> records = new ConcurrentHashMap<>();
    private final AtomicLong contentReads = new AtomicLong();
    private final AtomicLong writesGiven = new AtomicLong();
    private volatile WriteOutcomes outcomes;
    private volatile DeadLetters deadLetters;
    private volatile String refusedField;
    private volatile Consumer<PendingWrite> beforeEachWrite = w -> { };
    private volatile CompletableFuture<Void> writesHeld = CompletableFuture.completedFuture(null);

    public InMemoryStore(Side side, int pageSize) {
        this.side = side;
        this.pageSize = pageSize;
    }

    /** Where the writers report; set by the factory when a pair opens its stores. */
    void connect(WriteOutcomes outcomes, DeadLetters deadLetters) {
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
    }

    // --- the application's side ------------------------------------------------------------------

    /** An application writes this version (a new stamp, as the store gives one to every write). */
    public void put(UUID id, Instant lastModified, Map<String, Object> fields) {
        records.put(id, new SyncRecord(id, lastModified, Map.copyOf(fields), side, nextStamp()));
    }

    public Optional<SyncRecord> get(UUID id) {
        return Optional.ofNullable(records.get(id));
    }

    public int size() {
        return records.size();
    }

    /** Records whose content a reader fetched so far (not the versions skipped by their metadata). */
    public long contentReads() {
        return contentReads.get();
    }

    /** Writes the engine handed to this store so far (landed, refused or held). */
    public long writesGiven() {
        return writesGiven.get();
    }

    /** The store refuses every record that has {@code field}, as a real one refuses a value it cannot take. */
    public void refuseRecordsWith(String field) {
        this.refusedField = field;
    }

    /** Runs before each conditional write is applied (an application writing between the read and the write). */
    public void beforeEachWrite(Consumer<PendingWrite> action) {
        this.beforeEachWrite = action;
    }

    /** The writes given from now on land only when {@code release} completes. */
    public void holdWritesUntil(CompletableFuture<Void> release) {
        this.writesHeld = release;
    }

    // --- the engine's side -----------------------------------------------------------------------

    @Override
    public Side side() {
        return side;
    }

    @Override
    public void prepare() {
    }

    @Override
    public boolean isEmpty() {
        return records.isEmpty();
    }

    @Override
    public OptionalLong estimate(SyncWindow window) {
        return OptionalLong.of(inWindow(window).size());
    }

    @Override
    public Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known) {
        return changes(window, known, null);
    }

    /**
     * The window in the store's order (timestamp, then id), going on after {@code from}: the key
     * ({@code <timestamp> <id>}) of the last record of a page handed out before.
     */
    @Override
    public Iterator<List<SyncRecord>> changes(SyncWindow window, KnownVersions known, String from) {
        List<SyncRecord> changed = new ArrayList<>();
        for (SyncRecord r : inWindow(window)) {
            if ((from == null || key(r).compareTo(from) > 0)
                    && !known.alreadySynced(side, r.id(), r.lastModified().toEpochMilli(), r.stamp())) {
                changed.add(r);
            }
        }
        List<List<SyncRecord>> pages = new ArrayList<>();
        for (int i = 0; i < changed.size(); i += pageSize) {
            pages.add(List.copyOf(changed.subList(i, Math.min(changed.size(), i + pageSize))));
        }
        contentReads.addAndGet(changed.size());
        known.fetched(side, changed.size());
        return new Pages(pages.iterator());
    }

    /** Pages handed out one by one, each saying where it ends: its last record's key. */
    private static final class Pages implements Iterator<List<SyncRecord>>, Positioned {
        private final Iterator<List<SyncRecord>> pages;
        private String position;

        Pages(Iterator<List<SyncRecord>> pages) {
            this.pages = pages;
        }

        @Override
        public boolean hasNext() {
            return pages.hasNext();
        }

        @Override
        public List<SyncRecord> next() {
            List<SyncRecord> page = pages.next();
            position = key(page.get(page.size() - 1));
            return page;
        }

        @Override
        public String position() {
            return position;
        }
    }

    /** A record's place in this store's reading order (strings that sort as the order does). */
    private static String key(SyncRecord r) {
        return String.format(java.util.Locale.ROOT, "%020d %s", r.lastModified().toEpochMilli(), r.id());
    }

    private List<SyncRecord> inWindow(SyncWindow window) {
        // a version written after the cycle began is the next cycle's
        return records.values().stream()
                .filter(r -> window.isFull() || window.covers(r.lastModified())
                        && !r.lastModified().isAfter(window.until()))
                .sorted(Comparator.comparing(InMemoryStore::key)).toList();
    }

    @Override
    public List<SyncRecord> find(Collection<UUID> ids) {
        return ids.stream().map(records::get).filter(r -> r != null).toList();
    }

    @Override
    public void write(List<PendingWrite> writes) {
        List<PendingWrite> accepted = new ArrayList<>();
        writesGiven.addAndGet(writes.size());
        for (PendingWrite w : writes) {
            if (refusedField != null && w.record().fields().containsKey(refusedField)) {
                deadLetters.reject(w.record().side(), w.record().id(), side.label() + " cannot take the field "
                        + refusedField, w.record().fields());
            } else {
                accepted.add(w);
            }
        }
        outcomes.inFlight(writesHeld.thenRun(() -> accepted.forEach(this::writeConditionally)));
    }

    /** The write lands only if the copy it replaces (or the absence of one) is still what the store holds. */
    private void writeConditionally(PendingWrite w) {
        beforeEachWrite.accept(w);
        SyncRecord copy = new SyncRecord(w.record().id(), w.record().lastModified(), w.record().fields(), side,
                nextStamp());
        SyncRecord expected = w.replacing();
        boolean landed = expected == null ? records.putIfAbsent(copy.id(), copy) == null
                : records.computeIfPresent(copy.id(), (id, current) -> current.stamp().equals(expected.stamp())
                        ? copy : current) == copy;
        if (landed) {
            outcomes.written(w, copy.stamp());
        } else {
            outcomes.conflict(w);
        }
    }

    private static SyncRecord.Stamp nextStamp() {
        return SyncRecord.Stamp.elasticsearch(STAMPS.incrementAndGet(), 1);
    }
}

package org.cassandraessync.cycle;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.record.SyncRecord.Stamp;

/**
 * The versions this daemon recently saw in sync on both stores: copies found equal, records it
 * copied, and the copies it wrote (with the sequence number or write time the store gave them).
 * A record read again in exactly such a version (same last_modified and same stamp) needs no
 * look-up and no decision: that is what every cycle's overlap re-reads, and what a cycle reads
 * back from Elasticsearch after copying it there. A copy older than such a version (a stale
 * search hit) is not decided either. A change made since has another stamp and is decided as usual; a refused (conflicting) write is forgotten. Bounded: beyond {@code capacity}
 * versions per store the oldest are forgotten, which only costs a re-read.
 */
public class SyncedVersions {

    /** The timestamp in epoch milliseconds (what Elasticsearch sorts by) and the store's stamp. */
    private record Version(long lastModifiedMillis, long seqNo, long primaryTerm, long writeTimeMicros) {

        static Version of(Instant lastModified, Stamp s) {
            return new Version(lastModified.toEpochMilli(), s.seqNo(), s.primaryTerm(), s.writeTimeMicros());
        }
    }

    private final Map<Side, LinkedHashMap<UUID, Version>> bySide = new EnumMap<>(Side.class);

    public SyncedVersions(int capacity) {
        for (Side side : Side.values()) {
            bySide.put(side, new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Version> eldest) {
                    return size() > capacity;
                }
            });
        }
    }

    /** Remembers a copy as read from its store (it has a stamp) or as written there. */
    public synchronized void remember(Side side, UUID id, Instant lastModified, Stamp stamp) {
        if (stamp == null || lastModified.equals(Instant.MIN)) {
            return;
        }
        Map<UUID, Version> versions = bySide.get(side);
        versions.remove(id);
        versions.put(id, Version.of(lastModified, stamp));
    }

    public void remember(SyncRecord copy) {
        remember(copy.side(), copy.id(), copy.lastModified(), copy.stamp());
    }

    /** True when this exact copy was already seen in sync (or written by this daemon). */
    public boolean alreadySynced(SyncRecord copy) {
        return copy.stamp() != null && !copy.lastModified().equals(Instant.MIN)
                && alreadySynced(copy.side(), copy.id(), copy.lastModified().toEpochMilli(), copy.stamp());
    }

    /**
     * The same question from a copy's metadata only (id, timestamp in epoch milliseconds, stamp),
     * before its content is fetched.
     */
    public synchronized boolean alreadySynced(Side side, UUID id, long lastModifiedMillis, Stamp stamp) {
        Version v = bySide.get(side).get(id);
        return v != null && (v.equals(new Version(lastModifiedMillis, stamp.seqNo(), stamp.primaryTerm(),
                stamp.writeTimeMicros())) || olderThan(stamp, v));
    }

    /**
     * A copy whose stamp is older than the one of the version already in sync on that store: a
     * stale read (a search before the store made that version visible, a replica behind), not a
     * change; what the store holds now is that version or a later change, which is read as such.
     */
    private static boolean olderThan(Stamp stamp, Version known) {
        if (stamp.writeTimeMicros() >= 0 || known.writeTimeMicros() >= 0) {
            return stamp.writeTimeMicros() >= 0 && stamp.writeTimeMicros() < known.writeTimeMicros();
        }
        return stamp.primaryTerm() < known.primaryTerm()
                || stamp.primaryTerm() == known.primaryTerm() && stamp.seqNo() < known.seqNo();
    }

    public synchronized void forget(UUID id) {
        bySide.values().forEach(m -> m.remove(id));
    }
}

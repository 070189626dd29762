package org.cassandraessync.state;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncWindow;
import org.cassandraessync.record.Timestamps;

/**
 * How far a long cycle has come (a first copy, a catch-up after a long outage, a full
 * reconciliation), committed beside the checkpoints as it goes, so that the next cycle, on this
 * instance after a {@code kill -9} or a restart or on another after a failover, goes on from there
 * instead of reading its windows again from their start. The watermarks themselves move only when
 * the cycle ends: everything before them is done.
 *
 * @param windows the cycle's windows as it opened them (so the cycle that goes on reads the same)
 * @param positions per side, where its reading stands in the store's own order (a token, a
 *        timestamp: {@link org.cassandraessync.record.Positioned}): every record before it has
 *        been decided and written; absent: from the window's start
 * @param done the sides read in full, their writes landed
 * @param heldBack per side, the oldest version whose write was refused (the watermark stays before it)
 */
public record CyclePosition(Map<Side, SyncWindow> windows, Map<Side, String> positions, Set<Side> done,
        Map<Side, Instant> heldBack) {

    public CyclePosition {
        windows = Map.copyOf(windows);
        positions = Map.copyOf(positions);
        done = Set.copyOf(done);
        heldBack = Map.copyOf(heldBack);
    }

    /** The cycle's start: where the watermarks move once it ends. */
    public Instant until() {
        return windows.values().iterator().next().until();
    }

    public Optional<String> position(Side side) {
        return Optional.ofNullable(positions.get(side));
    }

    /** As JSON, in the checkpoint file or the checkpoint row. */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        for (Side side : Side.values()) {
            SyncWindow w = windows.get(side);
            if (w == null) {
                continue;
            }
            ObjectNode s = root.putObject(side.label());
            s.put("after", w.after() == null ? null : Timestamps.format(w.after()));
            s.put("until", Timestamps.format(w.until()));
            if (w.skipped() != null) {
                s.put("skipped_after", Timestamps.format(w.skipped().after()));
                s.put("skipped_up_to", Timestamps.format(w.skipped().upTo()));
            }
            s.put("position", positions.get(side));
            s.put("done", done.contains(side));
            s.put("held_back", heldBack.containsKey(side) ? Timestamps.format(heldBack.get(side)) : null);
        }
        return root;
    }

    /**
     * From its JSON form; empty for a missing or null node.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static Optional<CyclePosition> fromJson(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Optional.empty();
        }
        Map<Side, SyncWindow> windows = new EnumMap<>(Side.class);
        Map<Side, String> positions = new EnumMap<>(Side.class);
        Set<Side> done = EnumSet.noneOf(Side.class);
        Map<Side, Instant> heldBack = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            JsonNode s = root.get(side.label());
            if (s == null || !s.isObject()) {
                throw new IllegalArgumentException("no " + side.label() + " window in the cycle's position " + root);
            }
            SyncWindow.Range skipped = s.hasNonNull("skipped_after") ? new SyncWindow.Range(
                    instant(s, "skipped_after"), instant(s, "skipped_up_to")) : null;
            windows.put(side, new SyncWindow(instant(s, "after"), instant(s, "until"), skipped));
            if (s.hasNonNull("position")) {
                positions.put(side, s.get("position").asText());
            }
            if (s.path("done").asBoolean(false)) {
                done.add(side);
            }
            if (s.hasNonNull("held_back")) {
                heldBack.put(side, instant(s, "held_back"));
            }
        }
        return Optional.of(new CyclePosition(windows, positions, done, heldBack));
    }

    private static Instant instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Timestamps.parse(node.get(field).asText()) : null;
    }
}

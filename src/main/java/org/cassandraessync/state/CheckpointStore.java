package org.cassandraessync.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.Timestamps;

/**
 * The per-side watermarks, in one small JSON file under {@code sync.state-dir}: every change up to
 * a side's watermark has been processed. Written to a temporary file and moved into place, so a
 * crash leaves either the old or the new checkpoint, never half of one. No file: full
 * reconciliation. A checkpoint written before pairs had names ({@code checkpoint-<keyspace>.<table>-<index>.json})
 * is taken over by the pair that syncs the same table and index, so an upgrade does not reconcile
 * again. With {@code sync.ha.cluster-service=file} the folder is shared: the file also names the
 * instance that committed it.
 */
public class CheckpointStore implements Checkpoints {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckpointStore.class);

    private final Path file;
    private final Path legacy;
    private final ObjectMapper json;
    private final String instance;

    /**
     * @param legacyName the name the pair's checkpoint had before pairs had names, or null
     * @param instance the instance that commits (written beside the watermarks)
     */
    public CheckpointStore(Path stateDir, String pairName, String legacyName, ObjectMapper json, String instance) {
        this.file = stateDir.resolve("checkpoint-" + pairName + ".json");
        this.legacy = legacyName == null ? null : stateDir.resolve("checkpoint-" + legacyName + ".json");
        this.json = json;
        this.instance = instance;
    }

    public Path file() {
        return file;
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public Map<Side, Instant> load() {
        Map<Side, Instant> result = new EnumMap<>(Side.class);
        adoptLegacy();
        read().ifPresent(root -> {
            try {
                for (Side side : Side.values()) {
                    Optional.ofNullable(root.get(side.label())).filter(JsonNode::isTextual)
                            .ifPresent(n -> result.put(side, Timestamps.parse(n.asText())));
                }
            } catch (IllegalArgumentException e) {
                throw unreadable(e);
            }
        });
        return result;
    }

    @Override
    public Optional<Commit> lastCommit() {
        return read().filter(root -> root.path("instance").isTextual() && root.path("committed").isTextual())
                .map(root -> new Commit(root.get("instance").asText(), Timestamps.parse(root.get("committed").asText())));
    }

    private Optional<JsonNode> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readTree(file.toFile()));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(e);
        }
    }

    private IllegalStateException unreadable(Exception e) {
        return new IllegalStateException("Unreadable checkpoint " + file + " (" + e.getMessage()
                + "); delete it to reconcile both stores fully", e);
    }

    private void adoptLegacy() {
        if (legacy == null || Files.exists(file) || !Files.exists(legacy) || legacy.equals(file)) {
            return;
        }
        try {
            Files.move(legacy, file);
            LOG.info("Checkpoint {} renamed to {}: the pair goes on from where the daemon was", legacy, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename checkpoint " + legacy + " to " + file, e);
        }
    }

    @Override
    public void save(Map<Side, Instant> watermarks) {
        ObjectNode root = json.createObjectNode();
        watermarks.forEach((side, t) -> root.put(side.label(), Timestamps.format(t)));
        root.put("instance", instance);
        root.put("committed", Timestamps.format(Instant.now()));
        try {
            Files.createDirectories(file.getParent());
            // per instance: two instances on a shared folder (a deposed leader finishing) never share one
            Path tmp = file.resolveSibling(file.getFileName() + "." + instance + ".tmp");
            Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }
}

package org.cassandraessync.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * instance that committed it, and the pair's leadership term ({@link #beginTerm}): a commit of
 * an older term is refused, the comparison and the replacement made under a lock of
 * {@code checkpoint-<pair>.json.lock}. A long cycle also keeps its position there as it goes
 * ({@code cycle_position}), so that the next one goes on from it.
 */
public class CheckpointStore implements Checkpoints {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckpointStore.class);

    private static final String TERM = "term";
    private static final String TERM_INSTANCE = "term_instance";
    /** Where a long cycle that has not ended stands ({@link CyclePosition}); cleared by its commit. */
    private static final String POSITION = "cycle_position";

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
        ObjectNode root = commitOf(watermarks);
        read().ifPresent(old -> keepTerm(old, root));
        write(root);
    }

    @Override
    public Optional<CyclePosition> position() {
        return read().flatMap(root -> {
            try {
                return CyclePosition.fromJson(root.get(POSITION));
            } catch (IllegalArgumentException e) {
                throw unreadable(e);
            }
        });
    }

    @Override
    public void savePosition(CyclePosition position) {
        write(withPosition(read(), position));
    }

    @Override
    public void savePosition(CyclePosition position, long term) {
        underLock(() -> {
            Optional<JsonNode> old = read();
            requireTerm(old, term);
            write(withPosition(old, position));
            return term;
        });
    }

    /** The file as it is (watermarks, term), with the cycle's position. */
    private ObjectNode withPosition(Optional<JsonNode> old, CyclePosition position) {
        ObjectNode root = old.filter(JsonNode::isObject).map(n -> ((ObjectNode) n).deepCopy())
                .orElseGet(json::createObjectNode);
        root.set(POSITION, position.toJson(json));
        return root;
    }

    private void requireTerm(Optional<JsonNode> old, long term) {
        Term current = old.map(CheckpointStore::term).orElse(new Term(0, "none"));
        if (current.number() != term) {
            throw new StaleTermException(location(), term, current);
        }
    }

    @Override
    public long beginTerm() {
        adoptLegacy();
        return underLock(() -> {
            ObjectNode root = read().filter(JsonNode::isObject).map(n -> (ObjectNode) n)
                    .orElseGet(json::createObjectNode);
            long next = root.path(TERM).asLong(0) + 1;
            root.put(TERM, next);
            root.put(TERM_INSTANCE, instance);
            write(root);
            return next;
        });
    }

    @Override
    public void save(Map<Side, Instant> watermarks, long term) {
        underLock(() -> {
            Optional<JsonNode> old = read();
            requireTerm(old, term);
            ObjectNode root = commitOf(watermarks);
            old.ifPresent(o -> keepTerm(o, root));
            write(root);
            return term;
        });
    }

    @Override
    public Optional<Term> currentTerm() {
        return read().filter(root -> root.path(TERM).canConvertToLong()).map(CheckpointStore::term);
    }

    private static Term term(JsonNode root) {
        return new Term(root.path(TERM).asLong(0), root.path(TERM_INSTANCE).asText("?"));
    }

    private static void keepTerm(JsonNode old, ObjectNode root) {
        if (old.has(TERM)) {
            root.set(TERM, old.get(TERM));
            root.set(TERM_INSTANCE, old.path(TERM_INSTANCE));
        }
    }

    private ObjectNode commitOf(Map<Side, Instant> watermarks) {
        ObjectNode root = json.createObjectNode();
        watermarks.forEach((side, t) -> root.put(side.label(), Timestamps.format(t)));
        root.put("instance", instance);
        root.put("committed", Timestamps.format(Instant.now()));
        return root;
    }

    /**
     * Runs {@code action} holding the lock of {@code checkpoint-<pair>.json.lock} beside the
     * checkpoint, so that comparing the term and replacing the file are one step for every
     * instance sharing the folder.
     */
    private long underLock(java.util.function.LongSupplier action) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return action.getAsLong();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    private void write(ObjectNode root) {
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

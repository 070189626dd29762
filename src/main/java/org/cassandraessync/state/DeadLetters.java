package org.cassandraessync.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quarantine for records that cannot be synced as they are: one JSON line per record in
 * {@code <sync.state-dir>/dead-letters-<pair>.jsonl} (time, side, id, reason, the record itself) and one
 * WARN line in the log. The rest of the batch proceeds; fixing the record on its side (which
 * changes its {@code last_modified}) makes a later cycle pick it up again.
 */
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private static final int MAX_REASON = 500;

    private final Path file;
    private final ObjectMapper json;
    private final AtomicLong count = new AtomicLong();
    /** What was already quarantined in this run: a record that stays bad is reported once, not every cycle. */
    private final Map<String, Boolean> reported = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 100_000;
                }
            });

    public DeadLetters(Path stateDir, String pair, ObjectMapper json) {
        this.file = stateDir.resolve("dead-letters-" + pair + ".jsonl");
        this.json = json;
    }

    public Path file() {
        return file;
    }

    public synchronized void reject(Side side, Object id, String fullReason, Object record) {
        // a store's message may quote a whole value: the reason stays one readable line
        String reason = fullReason == null ? "unknown" : fullReason.length() > MAX_REASON
                ? fullReason.substring(0, MAX_REASON - 3) + "..." : fullReason;
        if (reported.put(side.label() + "/" + id + "/" + reason, Boolean.TRUE) != null) {
            return;
        }
        count.incrementAndGet();
        LOG.warn("Rejected {} record {}: {} (details in {})", side.label(), id, reason, file);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Timestamps.format(Instant.now()));
        line.put("side", side.label());
        line.put("id", String.valueOf(id));
        line.put("reason", reason);
        line.put("record", record);
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to dead-letter file " + file, e);
        }
    }

    /** Rejections since start. */
    public long count() {
        return count.get();
    }
}

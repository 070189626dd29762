package org.cassandraessync.cycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Book-keeping of the running cycle: what was read from each side, which winners must be written
 * to which side, what was written, and the one summary line per cycle. Cycles never overlap (the
 * Quartz trigger is stateful), so one instance serves every cycle of a table/index pair.
 */
public class SyncCycle {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCycle.class);

    private final AtomicLong cycles = new AtomicLong();
    private final ConcurrentLinkedQueue<SyncRecord> toCassandra = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<SyncRecord> toElasticsearch = new ConcurrentLinkedQueue<>();
    private final Counts current = new Counts();
    private final Counts total = new Counts();
    private volatile long startNanos;
    private volatile CycleSummary last;

    /** Per-direction counters; "cassandra → elasticsearch" reads from Cassandra and writes to Elasticsearch. */
    public static final class Counts {
        final AtomicLong readCassandra = new AtomicLong();
        final AtomicLong readElasticsearch = new AtomicLong();
        final AtomicLong writtenCassandra = new AtomicLong();
        final AtomicLong writtenElasticsearch = new AtomicLong();
        final AtomicLong failedWrites = new AtomicLong();

        void reset() {
            readCassandra.set(0);
            readElasticsearch.set(0);
            writtenCassandra.set(0);
            writtenElasticsearch.set(0);
            failedWrites.set(0);
        }
    }

    /** What one cycle did; also the totals since start when returned by {@link #totals()}. */
    public record CycleSummary(long cycle, long readCassandra, long writtenElasticsearch, long readElasticsearch,
            long writtenCassandra, long failedWrites, long millis, boolean failed) {
    }

    public void start() {
        cycles.incrementAndGet();
        toCassandra.clear();
        toElasticsearch.clear();
        current.reset();
        startNanos = System.nanoTime();
    }

    /** Counts a record read from its side and passes it on. */
    public SyncRecord read(SyncRecord record) {
        counter(current, record.side(), true).incrementAndGet();
        counter(total, record.side(), true).incrementAndGet();
        return record;
    }

    /** Queues the winning version for the side that lacks it. */
    public void planWrite(SyncRecord winner) {
        (winner.side() == Side.CASSANDRA ? toElasticsearch : toCassandra).add(winner);
    }

    /** The queued writes for one target side, handed over once. */
    public List<SyncRecord> drainWritesTo(String target) {
        ConcurrentLinkedQueue<SyncRecord> queue = "cassandra".equals(target) ? toCassandra : toElasticsearch;
        List<SyncRecord> out = new ArrayList<>(queue.size());
        for (SyncRecord r = queue.poll(); r != null; r = queue.poll()) {
            out.add(r);
        }
        return out;
    }

    /** Counts a record written to the side opposite the one it came from. */
    public void written(SyncRecord record) {
        counter(current, record.side().opposite(), false).incrementAndGet();
        counter(total, record.side().opposite(), false).incrementAndGet();
    }

    public void writeFailed(SyncRecord record, Exception cause) {
        current.failedWrites.incrementAndGet();
        total.failedWrites.incrementAndGet();
        LOG.warn("Could not write record {} to {}: {}", record.id(), record.side().opposite().label(),
                cause == null ? "unknown error" : cause.getMessage());
    }

    public void finish() {
        last = summary(current, false);
        LOG.info("Cycle {}: cassandra→elasticsearch read {} written {} | elasticsearch→cassandra read {} written {}"
                + " | failed writes {} | {} ms", last.cycle(), last.readCassandra(), last.writtenElasticsearch(),
                last.readElasticsearch(), last.writtenCassandra(), last.failedWrites(), last.millis());
    }

    /** One line per failed cycle; the next cycle starts over from the stores. */
    public void failed(Exception cause) {
        last = summary(current, true);
        LOG.warn("Cycle {} failed after {} ms: {}", last.cycle(), last.millis(),
                cause == null ? "unknown error" : cause.getMessage());
    }

    public CycleSummary lastCycle() {
        return last;
    }

    public CycleSummary totals() {
        return summary(total, false);
    }

    private CycleSummary summary(Counts c, boolean failed) {
        return new CycleSummary(cycles.get(), c.readCassandra.get(), c.writtenElasticsearch.get(),
                c.readElasticsearch.get(), c.writtenCassandra.get(), c.failedWrites.get(),
                (System.nanoTime() - startNanos) / 1_000_000, failed);
    }

    private static AtomicLong counter(Counts c, Side side, boolean read) {
        if (side == Side.CASSANDRA) {
            return read ? c.readCassandra : c.writtenCassandra;
        }
        return read ? c.readElasticsearch : c.writtenElasticsearch;
    }
}

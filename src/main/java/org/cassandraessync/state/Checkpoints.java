package org.cassandraessync.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.cassandraessync.record.Side;

/**
 * A pair's checkpoints: per side, the watermark up to which every change has been processed. A
 * checkpoint only ever records completed work, so whoever reads it (this instance after a restart,
 * another one after a failover) goes on from there; none means a full reconciliation.
 */
public interface Checkpoints {

    /** Who committed the checkpoints last, and when. */
    record Commit(String instance, Instant at) {
    }

    /** The committed watermarks; empty when there are none yet. */
    Map<Side, Instant> load();

    /** Commits {@code watermarks}: every change up to them has been written to the other store. */
    void save(Map<Side, Instant> watermarks);

    /** The last commit's author and time, when the checkpoints say. */
    Optional<Commit> lastCommit();

    /** Where the checkpoints live, for log lines and messages. */
    String location();
}

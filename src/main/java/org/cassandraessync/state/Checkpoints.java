package org.cassandraessync.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.cassandraessync.record.Side;

/**
 * A pair's checkpoints: per side, the watermark up to which every change has been processed. A
 * checkpoint only ever records completed work, so whoever reads it (this instance after a restart,
 * another one after a failover) goes on from there; none means a full reconciliation.
 *
 * <p>With several instances, each leadership of the pair is a <em>term</em> whose number is kept
 * beside the checkpoints and only grows ({@link #beginTerm}); a leader commits with its term
 * ({@link #save(Map, long)}), and the commit is refused once another instance has begun a newer
 * term: a deposed leader that did not notice (a paused process, a lost lock) cannot move the
 * checkpoints back.
 */
public interface Checkpoints {

    /** Who committed the checkpoints last, and when. */
    record Commit(String instance, Instant at) {
    }

    /** A leadership term: its number (the fencing token) and the instance that began it. */
    record Term(long number, String instance) {
    }

    /** The committed watermarks; empty when there are none yet. */
    Map<Side, Instant> load();

    /**
     * Commits {@code watermarks}: every change up to them has been written to the other store. A
     * cycle's position ({@link #savePosition}) is cleared: the cycle it belonged to has ended.
     */
    void save(Map<Side, Instant> watermarks);

    /** Where a long cycle that has not ended stands, committed as it went; empty when none. */
    Optional<CyclePosition> position();

    /** Commits where the running cycle stands; the watermarks stay as they are. */
    void savePosition(CyclePosition position);

    /**
     * As {@link #savePosition(CyclePosition)}, only while {@code term} is the newest term.
     *
     * @throws StaleTermException when a newer term has begun: nothing is written
     */
    void savePosition(CyclePosition position, long term);

    /**
     * Begins a new term for this instance: the stored term's number plus one, stored atomically
     * (two instances beginning a term at once get two different numbers).
     */
    long beginTerm();

    /**
     * As {@link #save(Map)}, only while {@code term} is the newest term.
     *
     * @throws StaleTermException when a newer term has begun: nothing is written
     */
    void save(Map<Side, Instant> watermarks, long term);

    /** The newest term, when one has begun. */
    Optional<Term> currentTerm();

    /** The last commit's author and time, when the checkpoints say. */
    Optional<Commit> lastCommit();

    /** Where the checkpoints live, for log lines and messages. */
    String location();
}

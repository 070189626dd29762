package org.cassandraessync.ha;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether this instance runs a pair's cycles (health and metrics say it): always, without an
 * election; with one ({@code sync.ha.cluster-service}), only while it leads the pair.
 */
public interface PairRole {

    /** True when the pair has an election (several instances share it). */
    boolean elected();

    /** True when this instance runs the pair's cycles now. */
    boolean leads();

    /** Since when this instance leads the pair, as of the last {@link #leads()}; empty while it does not. */
    Optional<Instant> leadingSince();

    /** This instance's name ({@code sync.ha.instance-id}). */
    String instance();

    /** Who committed the pair's checkpoints last and when ("instance-2 at 2026-…"), when known. */
    Optional<String> lastCommit();
}

package org.cassandraessync.ha;

import java.time.Instant;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.cassandraessync.config.HighAvailability;
import org.cassandraessync.state.Checkpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This instance's part in a pair's election (always the runner without one). */
public final class ElectedRole implements PairRole {

    private static final Logger LOG = LoggerFactory.getLogger(ElectedRole.class);

    private final CamelContext context;
    private final String pair;
    private final HighAvailability ha;
    private final Checkpoints checkpoints;

    private volatile Instant since;
    private volatile Instant announced;

    public ElectedRole(CamelContext context, String pair, HighAvailability ha, Checkpoints checkpoints) {
        this.context = context;
        this.pair = pair;
        this.ha = ha;
        this.checkpoints = checkpoints;
    }

    @Override
    public boolean elected() {
        return ha.enabled();
    }

    @Override
    public boolean leads() {
        boolean leads = Leadership.leads(context, pair);
        if (!leads) {
            since = null;
        } else if (since == null) {
            since = Instant.now();
        }
        return leads;
    }

    /** As of the last {@link #leads()} (which sets and clears it), so the election is asked once per check. */
    @Override
    public Optional<Instant> leadingSince() {
        return Optional.ofNullable(since);
    }

    @Override
    public String instance() {
        return ha.instanceId();
    }

    @Override
    public Optional<String> lastCommit() {
        try {
            return checkpoints.lastCommit().map(c -> c.instance() + " at " + c.at());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first cycle of a leadership says so, and where it goes on from (a failover is visible in the log). */
    public void announce() {
        Instant term = ha.enabled() && leads() ? since : null;
        if (term == null || term.equals(announced)) {
            return;
        }
        announced = term;
        Optional<Checkpoints.Commit> last = checkpoints.lastCommit();
        LOG.info("pair '{}': instance {} leads it and goes on from {}", pair, ha.instanceId(),
                last.map(c -> "the checkpoints " + c.instance() + " committed at " + c.at() + " in "
                        + checkpoints.location()).orElse("no checkpoint (a full reconciliation) in "
                        + checkpoints.location()));
    }
}

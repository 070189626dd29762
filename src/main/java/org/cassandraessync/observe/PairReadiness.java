package org.cassandraessync.observe;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.cycle.SyncCycle;
import org.cassandraessync.ha.PairRole;
import org.cassandraessync.record.Side;
import org.quartz.CronExpression;

/**
 * A pair's readiness ({@code /observe/health/ready}): DOWN, with the reason, while a store does
 * not answer or when the pair has shown no progress (a successful cycle, or a page read by a long
 * one) for longer than {@link #bound}: three periods and at least a minute. Also DOWN until the
 * first cycle has read or committed something, and while the last cycle failed for a reason that
 * retrying does not cure (refused credentials, an untrusted certificate, a missing permission).
 */
public final class PairReadiness extends AbstractHealthCheck {

    static final Duration MIN_BOUND = Duration.ofMinutes(1);
    static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

    private final String pair;
    private final SyncCycle cycle;
    private final PairHealth health;
    private final StoreClients stores;
    private final Duration interval;
    private final Duration bound;
    private final PairRole role;

    public PairReadiness(String pair, SyncCycle cycle, PairHealth health, StoreClients stores, Duration period,
            Optional<String> cron, PairRole role) {
        super("cassandra-es-sync", "cassandra-es-sync-" + pair);
        this.pair = pair;
        this.cycle = cycle;
        this.health = health;
        this.stores = stores;
        this.interval = interval(period, cron);
        this.bound = bound(period, cron);
        this.role = role;
    }

    /** Three times the time between cycles (from the cron expression when there is one), at least a minute. */
    static Duration bound(Duration period, Optional<String> cron) {
        Duration three = interval(period, cron).multipliedBy(3);
        return three.compareTo(MIN_BOUND) < 0 ? MIN_BOUND : three;
    }

    /** The time between two cycles: the period, or the cron expression's next interval when there is one. */
    static Duration interval(Duration period, Optional<String> cron) {
        return cron.flatMap(PairReadiness::cronInterval).orElse(period);
    }

    /** The time between two of this pair's cycles (the metrics' period gauge). */
    Duration interval() {
        return interval;
    }

    private static Optional<Duration> cronInterval(String expression) {
        try {
            CronExpression cron = new CronExpression(expression);
            Date first = cron.getNextValidTimeAfter(new Date());
            Date second = first == null ? null : cron.getNextValidTimeAfter(first);
            return second == null ? Optional.empty() : Optional.of(Duration.ofMillis(second.getTime() - first.getTime()));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant now = Instant.now();
        builder.detail("pair", pair);
        builder.detail("bound.seconds", bound.toSeconds());
        builder.detail("instance", role.instance());
        boolean leads = role.leads();
        if (role.elected()) {
            builder.detail("role", leads ? "leader" : "standby");
            role.leadingSince().filter(t -> leads).ifPresent(t -> builder.detail("leading.since", t.toString()));
            role.lastCommit().ifPresent(c -> builder.detail("last.commit", c));
        }
        health.lastSuccess().ifPresent(t -> builder.detail("last.success", t.toString()));
        health.lastFailure().ifPresent(f -> builder.detail("last.failure", f));
        cycle.checkpointAges().forEach((side, age) -> builder.detail("checkpoint.age.seconds." + side.label(),
                age.toSeconds()));
        List<String> problems = new ArrayList<>(stores.problems(STORE_TIMEOUT));
        Optional<Instant> progress = health.lastProgress();
        String failure = health.lastFailure().map(f -> "; last failure: " + f).orElse("");
        if (health.lastFailureNeedsOperator()) {
            // a refused password, certificate or permission: retrying will not cure it (said once,
            // when the store check above found the same)
            String line = health.lastFailure().orElse("");
            if (problems.stream().noneMatch(line::equals)) {
                problems.add("the last cycle failed: " + line);
            }
        } else if (role.elected()) {
            // a standby only needs the stores (to take over); a new leader gets a bound from its election
            Optional<Instant> since = leads ? latest(progress, role.leadingSince()) : Optional.empty();
            Duration quiet = since.map(t -> Duration.between(t, now)).orElse(Duration.ZERO);
            if (quiet.compareTo(bound) > 0) {
                problems.add("leader without progress for " + quiet.toSeconds() + " s, more than " + bound.toSeconds()
                        + " s (three periods, at least a minute)" + failure);
            }
        } else if (progress.isEmpty()) {
            problems.add("no cycle has completed yet (started "
                    + Duration.between(health.createdAt(), now).toSeconds() + " s ago)" + failure);
        } else {
            Duration quiet = Duration.between(progress.get(), now);
            if (quiet.compareTo(bound) > 0) {
                problems.add("no progress for " + quiet.toSeconds() + " s, more than " + bound.toSeconds()
                        + " s (three periods, at least a minute)" + failure);
            }
        }
        Side reading = cycle.progress().reading();
        if (reading != null) {
            builder.detail("reading", reading.label());
        }
        if (problems.isEmpty()) {
            if (role.elected() && !leads) {
                builder.message("pair '" + pair + "': standby (another instance leads it)");
            }
            builder.up();
        } else {
            builder.message("pair '" + pair + "': " + String.join("; ", problems)).down();
        }
    }

    private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().isAfter(b.get()) ? a : b;
    }
}

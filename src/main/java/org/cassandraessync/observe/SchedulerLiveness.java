package org.cassandraessync.observe;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Liveness ({@code /observe/health/live}): the Quartz scheduler that triggers every pair's cycles
 * runs. (Camel's own context check covers the process.) A store being down is not a liveness
 * problem: restarting the daemon would not bring it back.
 */
public final class SchedulerLiveness extends AbstractHealthCheck {

    static final String ID = "cassandra-es-sync-scheduler";

    SchedulerLiveness() {
        super("cassandra-es-sync", ID);
    }

    /** Registers the check once per Camel context (every pair asks; the first one adds it). */
    public static void ensureRegistered(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null && registry.getCheck(ID).isEmpty()) {
            SchedulerLiveness check = new SchedulerLiveness();
            check.setCamelContext(context);
            registry.register(check);
        }
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    /** Camel's checks are readiness checks unless they say otherwise. */
    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        QuartzComponent quartz = getCamelContext().hasComponent("quartz") instanceof QuartzComponent q ? q : null;
        Scheduler scheduler = quartz == null ? null : quartz.getScheduler();
        try {
            if (scheduler != null && scheduler.isShutdown()) {
                builder.message("the Quartz scheduler that triggers the cycles is shut down").down();
            } else if (scheduler != null && getCamelContext().isStarted() && !scheduler.isStarted()) {
                builder.message("the Quartz scheduler that triggers the cycles is not running").down();
            } else {
                builder.up();
            }
        } catch (SchedulerException e) {
            builder.message("the Quartz scheduler does not answer: " + e.getMessage()).error(e).down();
        }
    }
}

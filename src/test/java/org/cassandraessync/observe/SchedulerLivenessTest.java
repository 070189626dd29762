package org.cassandraessync.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class SchedulerLivenessTest {

    @Test
    void liveness_is_down_once_the_scheduler_that_triggers_the_cycles_is_shut_down() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("quartz:test/tick?trigger.repeatInterval=60000").routeId("tick").log("tick");
                }
            });
            context.start();
            // camel-main enables the registry (camel.health.enabled); a plain context does not
            org.apache.camel.health.HealthCheckRegistry.get(context).setEnabled(true);
            SchedulerLiveness.ensureRegistered(context);
            SchedulerLiveness.ensureRegistered(context);
            assertThat(state(context)).isEqualTo(HealthCheck.State.UP);

            context.getComponent("quartz", QuartzComponent.class).getScheduler().shutdown();
            assertThat(state(context)).isEqualTo(HealthCheck.State.DOWN);
        }
    }

    private static HealthCheck.State state(CamelContext context) {
        Collection<HealthCheck.Result> live = HealthCheckHelper.invokeLiveness(context);
        return live.stream().filter(r -> r.getCheck().getId().equals(SchedulerLiveness.ID)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + SchedulerLiveness.ID + " among " + live.stream()
                        .map(r -> r.getCheck().getId()).toList()))
                .getState();
    }
}

package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.processor.aggregate.DefaultAggregateController;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.junit.jupiter.api.Test;

/**
 * The cycle waits for every decided record to get through the steps an integrator put after the
 * aggregation, whatever those steps do with it: the rule that lets a filter, a delay or a failing
 * transformation sit there without the checkpoint overtaking anything.
 */
class DecisionsInFlightTest extends CamelTestSupport {

    private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
    private final NewestWinsAggregationStrategy newestWins = new NewestWinsAggregationStrategy(Side.CASSANDRA);
    private final DefaultAggregateController decisions = new DefaultAggregateController();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:copies")
                        .aggregate(new RecordId(), newestWins).completionSize(2)
                        .aggregateController(decisions)
                        // an integrator's steps: a filter, a slow step, a transformation that can fail
                        .filter(simple("${body.fields[status]} == 'draft'")).stop().end()
                        .delay(200).asyncDelayed().end()
                        .filter(simple("${body.fields[status]} == 'broken'"))
                        .throwException(new IllegalArgumentException("cannot mask this one")).end()
                        .to("mock:written");
            }
        };
    }

    private void send(UUID id, Side side, String status) {
        template.sendBody("direct:copies", new SyncRecord(id, T, Map.of("status", status), side));
    }

    @Test
    void after_the_page_every_decision_is_through_its_steps_written_or_filtered_out() throws Exception {
        MockEndpoint written = getMockEndpoint("mock:written");
        written.expectedMessageCount(2);
        send(UUID.randomUUID(), Side.CASSANDRA, "published");
        UUID both = UUID.randomUUID();
        send(both, Side.CASSANDRA, "published");
        send(both, Side.ELASTICSEARCH, "old");
        send(UUID.randomUUID(), Side.CASSANDRA, "draft");
        assertThat(newestWins.decisions().waiting()).as("ids still waiting for a second copy").isEqualTo(2);

        decisions.forceCompletionOfAllGroups();
        newestWins.decisions().awaitArrivals(Duration.ofSeconds(10));

        assertThat(newestWins.decisions().waiting()).isZero();
        written.assertIsSatisfied(0);
    }

    @Test
    void a_step_that_fails_fails_the_wait_naming_the_record() {
        UUID id = UUID.randomUUID();
        send(id, Side.CASSANDRA, "broken");
        decisions.forceCompletionOfAllGroups();
        assertThatThrownBy(() -> newestWins.decisions().awaitArrivals(Duration.ofSeconds(10)))
                .hasMessageContaining("a step after the newest-wins aggregation failed for record " + id)
                .hasMessageContaining("cannot mask this one");
    }
}

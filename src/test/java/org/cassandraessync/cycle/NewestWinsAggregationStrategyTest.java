package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.junit.jupiter.api.Test;

/** The aggregation as the route uses it: correlate by id, complete on both sides or on the flush signal. */
class NewestWinsAggregationStrategyTest extends CamelTestSupport {

    private static final UUID ID = UUID.randomUUID();
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:00.000Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:00:01.000Z");

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                NewestWinsAggregationStrategy newestWins = new NewestWinsAggregationStrategy(Side.CASSANDRA);
                from("direct:versions") // correlated as in routes/cassandra-es-sync.yaml
                        .aggregate(new RecordId(), newestWins)
                        .completionSize(2)
                        .to("mock:winners");
            }
        };
    }

    private static SyncRecord version(Side side, Instant t, Map<String, Object> fields) {
        return new SyncRecord(ID, t, fields, side);
    }

    private SyncRecord aggregate(SyncRecord... versions) throws InterruptedException {
        MockEndpoint winners = getMockEndpoint("mock:winners");
        winners.reset();
        winners.expectedMessageCount(1);
        for (SyncRecord v : versions) {
            template.sendBody("direct:versions", v);
        }
        template.sendBodyAndHeader("direct:versions", null, Exchange.AGGREGATION_COMPLETE_ALL_GROUPS, true);
        winners.assertIsSatisfied();
        Exchange decided = winners.getExchanges().get(0);
        lastInSync = decided.getProperty(NewestWinsAggregationStrategy.IN_SYNC, Boolean.class);
        SyncRecord winner = decided.getMessage().getBody(SyncRecord.class);
        // the route's choice sends the winner to the other store by this property
        assertThat(decided.getProperty(NewestWinsAggregationStrategy.FROM_CASSANDRA, Boolean.class))
                .isEqualTo(winner.side() == Side.CASSANDRA);
        return winner;
    }

    private Boolean lastInSync;

    @Test
    void newer_elasticsearch_version_wins_over_older_cassandra_version() throws Exception {
        SyncRecord winner = aggregate(version(Side.CASSANDRA, T1, Map.of("v", 1)),
                version(Side.ELASTICSEARCH, T2, Map.of("v", 2)));
        assertThat(winner.side()).isEqualTo(Side.ELASTICSEARCH);
        assertThat(lastInSync).isFalse();
    }

    @Test
    void newer_cassandra_version_wins_whatever_the_arrival_order() throws Exception {
        SyncRecord winner = aggregate(version(Side.ELASTICSEARCH, T1, Map.of("v", 1)),
                version(Side.CASSANDRA, T2, Map.of("v", 2)));
        assertThat(winner.side()).isEqualTo(Side.CASSANDRA);
    }

    @Test
    void equal_versions_are_in_sync_even_when_number_types_differ() throws Exception {
        aggregate(version(Side.CASSANDRA, T1, Map.of("n", 7L, "tags", List.of("a"))),
                version(Side.ELASTICSEARCH, T1, Map.of("n", 7, "tags", List.of("a"))));
        assertThat(lastInSync).isTrue();
    }

    @Test
    void equal_timestamps_with_different_content_go_to_the_tie_breaker() throws Exception {
        SyncRecord winner = aggregate(version(Side.ELASTICSEARCH, T1, Map.of("v", "es")),
                version(Side.CASSANDRA, T1, Map.of("v", "cassandra")));
        assertThat(winner.side()).isEqualTo(Side.CASSANDRA);
        assertThat(lastInSync).isFalse();
    }

    @Test
    void a_record_seen_on_one_side_only_is_released_by_the_flush_signal() throws Exception {
        SyncRecord winner = aggregate(version(Side.ELASTICSEARCH, T1, Map.of()));
        assertThat(winner.side()).isEqualTo(Side.ELASTICSEARCH);
        assertThat(lastInSync).isFalse();
    }
}

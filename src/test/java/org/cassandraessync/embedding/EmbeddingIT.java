package org.cassandraessync.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.cassandraessync.record.Timestamps;
import org.cassandraessync.support.TestStores;
import org.junit.jupiter.api.Test;

/** The sync inside a Camel application that is not the daemon: the template and two pairs, nothing else. */
class EmbeddingIT {

    @Test
    void a_plain_camel_application_loads_the_template_and_runs_two_pairs() throws Exception {
        try (TestStores orders = TestStores.fresh("embed_orders");
                TestStores invoices = TestStores.fresh("embed_invoices")) {
            orders.createTable("name text");
            invoices.createTable("name text");
            Map<String, String> properties = new HashMap<>(orders.sandbox().connectionProperties());
            properties.put("sync.state-dir", orders.stateDir().toString());
            try (PlainCamelApplication app = new PlainCamelApplication(properties)) {
                app.addPair("orders", orders.keyspace(), orders.table(), orders.index());
                app.addPair("invoices", invoices.keyspace(), invoices.table(), invoices.index());
                CamelContext context = app.start();
                assertThat(context.getComponentNames()).as("the host's elasticsearch component is left alone")
                        .doesNotContain("elasticsearch");

                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                UUID order = UUID.randomUUID();
                orders.insertInto("name").row(order, now, "order 1");
                UUID invoice = UUID.randomUUID();
                invoices.index(invoice, Map.of("last_modified", Timestamps.format(now), "name", "invoice 1"));

                await("both pairs sync").ignoreExceptions().atMost(Duration.ofSeconds(60))
                        .until(() -> orders.document(order).isPresent() && invoices.cassandraRow(invoice).isPresent());
                assertThat(context.getRoute("sync-orders")).isNotNull();
                assertThat(context.getRoute("sync-invoices")).isNotNull();
            }
            assertThat(orders.stateDir().resolve("checkpoint-orders.json")).exists();
            assertThat(orders.stateDir().resolve("checkpoint-invoices.json")).exists();
        }
    }
}

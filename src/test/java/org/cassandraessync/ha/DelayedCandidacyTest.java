package org.cassandraessync.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preferred pairs' elections are joined at once, the others' only after the standby delay. */
class DelayedCandidacyTest {

    @TempDir
    Path locks;

    @Test
    void a_preferred_election_is_joined_at_once_and_another_after_the_delay() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            FileLockClusterService files = new FileLockClusterService();
            files.setRoot(locks.toString());
            files.setAcquireLockDelay(10, TimeUnit.MILLISECONDS);
            files.setAcquireLockInterval(100, TimeUnit.MILLISECONDS);
            DelayedCandidacy service = new DelayedCandidacy(files, "cassandra-es-sync-orders"::equals,
                    Duration.ofSeconds(3));
            service.setCamelContext(context);
            context.addService(service, true, true);

            long start = System.nanoTime();
            CamelClusterView orders = service.getView("cassandra-es-sync-orders");
            CamelClusterView invoices = service.getView("cassandra-es-sync-invoices");
            List<Boolean> invoicesEvents = new CopyOnWriteArrayList<>();
            invoices.addEventListener((CamelClusterEventListener.Leadership) (view, leader) ->
                    invoicesEvents.add(view.getLocalMember().isLeader()));

            await("the preferred election is won").atMost(Duration.ofSeconds(3))
                    .until(() -> service.isLeader("cassandra-es-sync-orders"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(invoices.getLocalMember().isLeader()).as("not a candidate yet").isFalse();
            assertThat(service.isLeader("cassandra-es-sync-invoices")).isFalse();

            await("the other election, after the delay").atMost(Duration.ofSeconds(10))
                    .until(() -> service.isLeader("cassandra-es-sync-invoices"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(invoices.getLocalMember().isLeader()).isTrue();
            await("its listener was told").atMost(Duration.ofSeconds(5)).until(() -> invoicesEvents.contains(true));

            service.releaseView(invoices);
            service.releaseView(orders);
            assertThat(orders.getNamespace()).isEqualTo("cassandra-es-sync-orders");
        }
    }
}

package org.cassandraessync.pair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Where the sync meters go inside an application without Camel's metricsRegistry (Spring Boot). */
class ApplicationRegistryTest {

    @Test
    void the_only_registry_or_the_composite_that_feeds_the_others_and_none_when_it_is_ambiguous() {
        SimpleMeterRegistry prometheus = new SimpleMeterRegistry();
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        assertThat(SyncPair.applicationRegistry(Set.of(prometheus))).isSameAs(prometheus);
        assertThat(SyncPair.applicationRegistry(Set.of(prometheus, other, composite))).isSameAs(composite);
        assertThat(SyncPair.applicationRegistry(Set.of(prometheus, other))).isNull();
        assertThat(SyncPair.applicationRegistry(Set.of())).isNull();
    }
}

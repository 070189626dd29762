package org.cassandraessync.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ready gauge's value: a scrape never waits for a readiness check that hangs on a store. */
class LastAnswerTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void a_read_answers_at_once_while_the_computation_hangs_then_shows_its_result() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger computations = new AtomicInteger();
        LastAnswer ready = new LastAnswer(() -> {
            computations.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }, executor);

        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(ready.read()).as("nothing computed yet").isNaN();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("five reads while the check hangs")
                .isLessThan(Duration.ofSeconds(1));
        // the executor's thread may start the computation after the reads returned: wait for it
        await().atMost(Duration.ofSeconds(5)).until(() -> computations.get() >= 1);
        for (int i = 0; i < 5; i++) {
            assertThat(ready.read()).as("still hanging").isNaN();
        }
        assertThat(computations).as("one computation at a time").hasValue(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ready.read() == 0.0);
    }

    @Test
    void each_read_after_a_computation_ended_starts_the_next_so_a_change_shows_one_read_later() {
        AtomicInteger value = new AtomicInteger(1);
        LastAnswer ready = new LastAnswer(value::get, Runnable::run);
        assertThat(ready.read()).as("computed during the read on this executor").isEqualTo(1.0);
        value.set(0);
        assertThat(ready.read()).isEqualTo(0.0);
    }
}

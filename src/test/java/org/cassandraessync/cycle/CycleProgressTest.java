package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CycleProgressTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1);
    private final AtomicLong read = new AtomicLong();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(CycleProgress.class);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void a_long_side_logs_a_line_every_ten_seconds_and_asks_for_the_estimate_with_the_first() {
        AtomicInteger asked = new AtomicInteger();
        CycleProgress progress = new CycleProgress("products", side -> read.get(), now::get);
        progress.estimator((side, window) -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(OptionalLong.of(100_000));
        });
        progress.reset();
        progress.sideStarted(Side.CASSANDRA, new SyncWindow(null, Instant.now()));
        for (int s = 1; s <= 25; s++) {
            now.addAndGet(SECOND);
            read.addAndGet(1_000);
            progress.pageRead(Side.CASSANDRA);
        }
        assertThat(asked).as("the estimate is asked once").hasValue(1);
        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).containsExactly(
                "products progress cassandra→elasticsearch: 10000 records read, 1000/s",
                "products progress cassandra→elasticsearch: 20000 records read of about 100000 (20%), 1000/s,"
                        + " about 1 min 20 s left");
        CycleProgress.Figures f = progress.figures(Side.CASSANDRA);
        assertThat(f.read()).isEqualTo(25_000);
        assertThat(f.estimated()).hasValue(100_000);
        assertThat(f.etaSeconds()).hasValue(75);
        assertThat(progress.figures(Side.ELASTICSEARCH).read()).as("the side not being read").isZero();
    }

    @Test
    void a_side_read_for_less_than_ten_seconds_asks_for_no_estimate_and_logs_nothing() {
        AtomicInteger asked = new AtomicInteger();
        CycleProgress progress = new CycleProgress("products", side -> read.get(), now::get);
        progress.estimator((side, window) -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(OptionalLong.empty());
        });
        progress.sideStarted(Side.ELASTICSEARCH, new SyncWindow(Instant.now(), Instant.now()));
        for (int s = 1; s <= 9; s++) {
            now.addAndGet(SECOND);
            read.addAndGet(1_000);
            progress.pageRead(Side.ELASTICSEARCH);
        }
        progress.ended();
        assertThat(asked).as("a count over the timestamp index would read the window twice").hasValue(0);
        assertThat(lines.list).isEmpty();
        assertThat(progress.figures(Side.ELASTICSEARCH).read()).as("between cycles").isZero();
    }

    @Test
    void an_estimate_below_what_was_already_read_is_ignored() {
        CycleProgress progress = new CycleProgress("fresh", side -> read.get(), now::get);
        // Cassandra's size estimates of a table loaded minutes ago
        progress.estimator((side, window) -> CompletableFuture.completedFuture(OptionalLong.of(0)));
        progress.sideStarted(Side.CASSANDRA, new SyncWindow(null, Instant.now()));
        for (int s = 1; s <= 10; s++) {
            now.addAndGet(SECOND);
            read.addAndGet(100);
            progress.pageRead(Side.CASSANDRA);
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("fresh progress cassandra→elasticsearch: 1000 records read, 100/s");
        assertThat(progress.figures(Side.CASSANDRA).estimated()).isEmpty();
    }

    @Test
    void an_unknown_total_still_gives_the_count_and_rate() {
        CycleProgress progress = new CycleProgress("logs", side -> read.get(), now::get);
        progress.estimator((side, window) -> CompletableFuture.failedFuture(new IllegalStateException("no index")));
        progress.sideStarted(Side.ELASTICSEARCH, new SyncWindow(Instant.now(), Instant.now()));
        now.addAndGet(10 * SECOND);
        read.set(5_000);
        progress.pageRead(Side.ELASTICSEARCH);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("logs progress elasticsearch→cassandra: 5000 records read, 500/s");
    }
}

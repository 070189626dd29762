package org.cassandraessync.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.cassandraessync.record.Side;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HeartbeatTest {

    @Test
    void a_quiet_pair_says_once_a_minute_that_it_is_alive_and_what_its_cycles_did() {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Heartbeat.class);
        logger.addAppender(lines);
        try {
            Instant start = Instant.parse("2026-12-01T10:00:00Z");
            Heartbeat heartbeat = new Heartbeat("products", start);
            Map<Side, Duration> ages = Map.of(Side.CASSANDRA, Duration.ofSeconds(6), Side.ELASTICSEARCH,
                    Duration.ofSeconds(7));
            for (int s = 5; s <= 125; s += 5) {
                boolean failed = s == 30;
                long written = s == 40 ? 3 : 0;
                heartbeat.cycleEnded(new CycleSummary(s / 5, Map.of(), Map.of(Side.ELASTICSEARCH, written), 0, 0, 0, 10, failed),
                        start.plusSeconds(s), () -> ages);
            }
            assertThat(lines.list).hasSize(2).allMatch(e -> e.getLevel() == Level.INFO);
            assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("products alive: 12 cycles in the last 60 s"
                    + " (1 failed), 3 records written; checkpoints behind by cassandra 6 s, elasticsearch 7 s");
            assertThat(lines.list.get(1).getFormattedMessage()).startsWith("products alive: 12 cycles in the last 60 s"
                    + " (0 failed), 0 records written");
        } finally {
            logger.detachAppender(lines);
        }
    }
}

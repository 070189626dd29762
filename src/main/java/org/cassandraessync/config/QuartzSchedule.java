package org.cassandraessync.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.spi.PropertiesFunction;

/**
 * The placeholder function {@code {{sync-schedule:pair,period,cron}}}: the trigger options of a
 * pair's Quartz endpoint from its {@code period} or {@code cron} parameter (Quartz counts its
 * repeat interval in milliseconds and spells the cron's spaces as '+'). Camel finds it through
 * {@code META-INF/services/org/apache/camel/properties-function/sync-schedule}.
 */
public class QuartzSchedule implements PropertiesFunction {

    @Override
    public String getName() {
        return "sync-schedule";
    }

    @Override
    public String apply(String remainder) {
        String[] parts = remainder.split(",", 3);
        String pair = parts[0].trim();
        String period = parts.length > 1 ? parts[1].trim() : "";
        String cron = parts.length > 2 ? parts[2].trim() : "";
        Map<String, String> parameters = Map.of("period", period, "cron", cron);
        SyncSettings.Reader r = new SyncSettings.Reader(key -> Optional.ofNullable(parameters.get(key)),
                "pair '" + pair + "': ");
        Optional<String> cronExpression = r.get("cron", SyncSettings::cron);
        r.failOnProblems();
        if (cronExpression.isPresent()) {
            return "cron=" + cronExpression.get().replaceAll("\\s+", "+");
        }
        Duration repeat = r.get("period", SyncSettings::positiveDuration);
        r.failOnProblems();
        return "trigger.repeatInterval=" + repeat.toMillis() + "&trigger.repeatCount=-1";
    }
}

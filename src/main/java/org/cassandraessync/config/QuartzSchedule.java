package org.cassandraessync.config;

import java.util.List;
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
        Optional<String> cronExpression;
        try {
            cronExpression = SyncSettings.cron(cron);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of("pair '" + pair + "': cron = '" + cron + "': "
                    + e.getMessage()));
        }
        if (cronExpression.isPresent()) {
            return "cron=" + cronExpression.get().replaceAll("\\s+", "+");
        }
        try {
            return "trigger.repeatInterval=" + SyncSettings.positiveDuration(period).toMillis()
                    + "&trigger.repeatCount=-1";
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of("pair '" + pair + "': period = '" + period + "': "
                    + e.getMessage()));
        }
    }
}

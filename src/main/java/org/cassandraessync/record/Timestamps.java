package org.cassandraessync.record;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * The one textual form of a {@code last_modified} value on the wire: ISO-8601 UTC with exactly
 * three fraction digits ({@code 2026-11-21T15:00:00.120Z}), the precision of a CQL timestamp.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /**
     * Parses an ISO-8601 date-time (any offset; none means UTC), a date (midnight UTC) or epoch milliseconds, truncated to milliseconds.
     *
     * @throws IllegalArgumentException when the value is neither
     */
    public static Instant parse(Object value) {
        if (value instanceof Instant i) {
            return i.truncatedTo(ChronoUnit.MILLIS);
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        if (value instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                Instant local = localAsUtc(s);
                if (local != null) {
                    return local;
                }
                try {
                    return Instant.ofEpochMilli(Long.parseLong(s));
                } catch (NumberFormatException notMillis) {
                    throw new IllegalArgumentException("not an ISO-8601 date-time nor epoch milliseconds: '" + s + "'");
                }
            }
        }
        throw new IllegalArgumentException("not a timestamp: " + value);
    }

    /** What Elasticsearch's default date format also accepts: a date, or a date-time without offset (UTC). */
    private static Instant localAsUtc(String s) {
        try {
            return java.time.LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}

package org.cassandraessync.record;

import java.util.Locale;
import java.util.Optional;

/** The two stores a record version can come from, in the order a cycle reads them. */
public enum Side {
    CASSANDRA,
    ELASTICSEARCH;

    public Side opposite() {
        return values()[1 - ordinal()];
    }

    /** The store's name in settings, log lines and metrics: cassandra, elasticsearch. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The side a label names (any case), if any. */
    public static Optional<Side> labelled(String label) {
        for (Side side : values()) {
            if (side.label().equalsIgnoreCase(label.trim())) {
                return Optional.of(side);
            }
        }
        return Optional.empty();
    }
}

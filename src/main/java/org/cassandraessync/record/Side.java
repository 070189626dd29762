package org.cassandraessync.record;

/** The two stores a record version can come from. */
public enum Side {
    CASSANDRA,
    ELASTICSEARCH;

    public Side opposite() {
        return this == CASSANDRA ? ELASTICSEARCH : CASSANDRA;
    }

    public String label() {
        return this == CASSANDRA ? "cassandra" : "elasticsearch";
    }
}

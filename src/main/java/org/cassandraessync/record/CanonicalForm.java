package org.cassandraessync.record;

import java.util.Map;

/**
 * Puts a record's field values, in place, in the form they have when read back from the other
 * store, so that the same value on both sides compares equal.
 */
@FunctionalInterface
public interface CanonicalForm {

    /** @throws IllegalArgumentException when a value has no such form (the record is rejected) */
    void apply(Map<String, Object> fields);
}

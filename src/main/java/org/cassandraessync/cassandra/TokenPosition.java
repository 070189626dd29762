package org.cassandraessync.cassandra;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Where a Cassandra reading stands in token order, as a position a cycle commits
 * ({@link org.cassandraessync.record.Positioned}): for a scan of the whole table, the token of the
 * last row handed out ({@code token -4611686018427387904}); for a window read as token ranges side
 * by side, which of the window's ranges it reads and, per token range, the token of its last row
 * handed out ({@code range 1 tokens -9223372036854775808,…}). Every row at or before those tokens
 * has been handed out.
 */
record TokenPosition(int range, long[] tokens) {

    private static final String SCAN = "token ";
    private static final String RANGE = "range ";
    private static final String TOKENS = " tokens ";

    /** A scan's position: after the row of {@code token}. */
    static String scan(long token) {
        return SCAN + token;
    }

    /** A sliced read's position: range {@code range} of the window, each slice after its token. */
    static String sliced(int range, long[] tokens) {
        return RANGE + range + TOKENS + Arrays.stream(tokens).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    /**
     * The position of a scan, or of a sliced read; null for null.
     *
     * @throws IllegalArgumentException for a position this reader did not give (another reading order)
     */
    static TokenPosition parse(String position) {
        if (position == null) {
            return null;
        }
        try {
            if (position.startsWith(SCAN)) {
                return new TokenPosition(-1, new long[] {Long.parseLong(position.substring(SCAN.length()).trim())});
            }
            if (position.startsWith(RANGE) && position.contains(TOKENS)) {
                int range = Integer.parseInt(position.substring(RANGE.length(), position.indexOf(TOKENS)).trim());
                List<String> tokens = List.of(position.substring(position.indexOf(TOKENS) + TOKENS.length()).split(","));
                return new TokenPosition(range, tokens.stream().mapToLong(t -> Long.parseLong(t.trim())).toArray());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a position of a Cassandra reading: '" + position + "'");
    }

    boolean isScan() {
        return range < 0;
    }

    /** The share of the Murmur3 ring (Long.MIN_VALUE, Long.MAX_VALUE] at or before a scan's token. */
    static OptionalDouble shareOfRing(String position) {
        TokenPosition p = parse(position);
        if (p == null || !p.isScan()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((p.tokens()[0] / 2.0 - Long.MIN_VALUE / 2.0) / Math.pow(2, 63));
    }
}

package org.cassandraessync.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;

import com.datastax.oss.driver.api.core.cql.Row;
import org.cassandraessync.record.Timestamps;

/**
 * The benchmark's records: a typical product row (about 300 bytes, eight columns of common types
 * besides the id and last_modified), generated from a seed and a number so that any record can be
 * re-created (an update of record i is record i with a new last_modified and quantity).
 */
final class BenchRecords {

    /** The columns besides id and last_modified, as CQL column definitions. */
    static final List<String> COLUMNS = List.of("name text", "category text", "price decimal", "quantity int",
            "rating double", "active boolean", "tags set<text>", "description text");

    static final String INSERT_CQL = "INSERT INTO %s (id, last_modified, name, category, price, quantity, rating,"
            + " active, tags, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String[] CATEGORIES = {"kitchen", "garden", "tools", "books", "toys", "sports", "office"};
    private static final String[] WORDS = {"compact", "steel", "wireless", "classic", "eco", "pro", "mini", "smart",
            "heavy-duty", "portable", "deluxe", "basic"};

    record BenchRecord(UUID id, Instant lastModified, String name, String category, BigDecimal price, int quantity,
            double rating, boolean active, Set<String> tags, String description) {

        Object[] cqlValues() {
            return new Object[] {id, lastModified, name, category, price, quantity, rating, active, tags, description};
        }

        /** The same record as an Elasticsearch document (what an application indexing it would send). */
        Map<String, Object> document() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("last_modified", Timestamps.format(lastModified));
            doc.put("name", name);
            doc.put("category", category);
            doc.put("price", price);
            doc.put("quantity", quantity);
            doc.put("rating", rating);
            doc.put("active", active);
            doc.put("tags", List.copyOf(tags));
            doc.put("description", description);
            return doc;
        }

        BenchRecord changed(Instant at, int newQuantity) {
            return new BenchRecord(id, at, name, category, price, newQuantity, rating, active, tags, description);
        }
    }

    private BenchRecords() {
    }

    /** Record number {@code n} of the set {@code seed}, stamped {@code lastModified}. */
    static BenchRecord record(long seed, long n, Instant lastModified) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
        UUID id = uuid4(random.nextLong(), random.nextLong());
        String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
        String name = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " " + category
                + " item " + n;
        BigDecimal price = BigDecimal.valueOf(random.nextInt(100, 100_000), 2);
        StringBuilder description = new StringBuilder();
        while (description.length() < 160) {
            description.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return new BenchRecord(id, lastModified, name, category, price, random.nextInt(0, 1000),
                Math.round(random.nextDouble() * 50) / 10.0, random.nextBoolean(),
                Set.of(category, WORDS[random.nextInt(WORDS.length)] + "-tag"), description.toString().trim());
    }

    /** The record a row of a benchmark table holds (the raw copier's reading, no sync logic). */
    static BenchRecord fromRow(Row row) {
        return new BenchRecord(row.getUuid("id"), row.getInstant("last_modified"), row.getString("name"),
                row.getString("category"), row.getBigDecimal("price"), row.getInt("quantity"), row.getDouble("rating"),
                row.getBoolean("active"), row.getSet("tags", String.class), row.getString("description"));
    }

    /**
     * The record a benchmark document holds, from its source as the client returns it (numbers as
     * Integer or Double, the set as a list; price goes through its text, so 19.9 stays 19.9).
     */
    static BenchRecord fromDocument(String id, Map<?, ?> source) {
        return new BenchRecord(UUID.fromString(id), Timestamps.parse(source.get("last_modified")),
                (String) source.get("name"), (String) source.get("category"),
                new BigDecimal(source.get("price").toString()), ((Number) source.get("quantity")).intValue(),
                ((Number) source.get("rating")).doubleValue(), (Boolean) source.get("active"),
                ((List<?>) source.get("tags")).stream().map(String::valueOf).collect(Collectors.toSet()),
                (String) source.get("description"));
    }

    /** A random (version 4) UUID made of two random longs, as applications create them. */
    static UUID uuid4(long most, long least) {
        return new UUID((most & ~0xF000L) | 0x4000L, (least & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }
}

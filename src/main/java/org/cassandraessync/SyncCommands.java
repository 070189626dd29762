package org.cassandraessync;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.camel.main.Main;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.pair.PairCheck;
import org.cassandraessync.pair.PairPreflight;
import org.cassandraessync.pair.SyncPair;
import org.cassandraessync.record.Json;
import org.cassandraessync.record.Side;

/**
 * What the jar's commands besides running the daemon do ({@link SyncCli} parses them), on the
 * daemon's own configuration (same {@code application.properties}, routes and pairs; no cycle runs,
 * no port is opened): {@code verify}, {@code dry-run}, {@code check}, {@code config}.
 */
final class SyncCommands {

    static final int AGREE = SyncCli.OK;
    static final int DIFFER = SyncCli.FINDINGS;
    /** Ids listed on the console per pair and direction; the JSON file holds them all. */
    static final int LISTED = 20;

    private final PrintStream out;
    private final Map<String, String> properties;

    SyncCommands(PrintStream out, Map<String, String> properties) {
        this.out = out;
        this.properties = properties;
    }

    /** A failure the command explains in its own words (a store's refusal with the fix, an unknown pair). */
    static final class CommandFailedException extends RuntimeException {
        CommandFailedException(String message) {
            super(message);
        }
    }

    /** What a command does with the pairs it was asked about. */
    private interface OnPairs {
        int run(List<SyncPair> pairs) throws Exception;
    }

    /**
     * Runs {@code command} on the daemon's configuration: the routes exist (so the pairs do) but
     * never start, no cycle runs and no port is opened (a running daemon keeps its port).
     */
    private int onPairs(String pairName, OnPairs command) throws Exception {
        Map<String, String> quiet = new LinkedHashMap<>(properties);
        quiet.put("camel.main.auto-startup", "false");
        quiet.put("camel.management.enabled", "false");
        Main main = SyncApplication.create(quiet);
        try {
            main.start();
            return command.run(pairs(main, pairName));
        } catch (Exception e) {
            // a missing route template, a refused password, certificate or permission: the line that says what to fix
            var stores = main.getCamelContext() == null ? null : main.getCamelContext().getRegistry()
                    .lookupByNameAndType(StoreClients.BEAN, StoreClients.class);
            var explained = SyncApplication.missingTemplate(e, main)
                    .or(() -> stores == null ? java.util.Optional.empty() : stores.explain(e));
            if (explained.isPresent()) {
                throw new CommandFailedException(explained.get());
            }
            throw e;
        } finally {
            try {
                main.stop();
            } catch (Exception e) {
                // the answer is already printed
            }
        }
    }

    int verify(String pairName, Path output, boolean repair) throws Exception {
        return onPairs(pairName, pairs -> verify(pairs, output, repair));
    }

    int config() {
        EffectiveConfiguration configuration = new EffectiveConfiguration(properties, System::getenv,
                System.getProperties(), Path.of(""));
        configuration.print(out);
        List<String> problems = configuration.problems();
        if (problems.isEmpty()) {
            return SyncCli.OK;
        }
        out.printf(Locale.ROOT, "%nThe daemon would not start: invalid configuration:%n  %s%n",
                String.join(String.format(Locale.ROOT, "%n  "), problems));
        return SyncCli.ERROR;
    }

    int dryRun(String pairName) throws Exception {
        return onPairs(pairName, this::dryRun);
    }

    int check(String pairName) throws Exception {
        return onPairs(pairName, this::check);
    }

    private int check(List<SyncPair> pairs) {
        Map<PairPreflight.Status, Integer> counts = new EnumMap<>(PairPreflight.Status.class);
        for (SyncPair pair : pairs) {
            out.printf(Locale.ROOT, "pair %s%n", pair.name());
            for (PairPreflight.Line line : pair.preflight().run()) {
                counts.merge(line.status(), 1, Integer::sum);
                out.printf(Locale.ROOT, "  %s %-25s %s%n", line.status().mark(), line.check(), line.found());
                if (!line.fix().isEmpty()) {
                    out.printf(Locale.ROOT, "    %-25s %s%n", "fix:", line.fix());
                }
            }
        }
        out.printf(Locale.ROOT, "%d pair%s checked: %d %s, %d %s, %d %s%n", pairs.size(), pairs.size() == 1 ? "" : "s",
                counts.getOrDefault(PairPreflight.Status.OK, 0), PairPreflight.Status.OK.mark(),
                counts.getOrDefault(PairPreflight.Status.WARNING, 0), PairPreflight.Status.WARNING.mark(),
                counts.getOrDefault(PairPreflight.Status.FAILED, 0), PairPreflight.Status.FAILED.mark());
        return counts.containsKey(PairPreflight.Status.FAILED) ? SyncCli.FINDINGS : SyncCli.OK;
    }

    private int verify(List<SyncPair> pairs, Path output, boolean repair) throws IOException {
        boolean differ = false;
        try (OutputStream file = output == null ? OutputStream.nullOutputStream() : Files.newOutputStream(output);
                JsonGenerator json = Json.newMapper().getFactory().createGenerator(file)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeArrayFieldStart("pairs");
            for (SyncPair pair : pairs) {
                json.writeStartObject();
                json.writeStringField("pair", pair.name());
                json.writeArrayFieldStart("differences");
                Map<PairCheck.Difference, List<PairCheck.Found>> listed = new LinkedHashMap<>();
                PairCheck.Result result = pair.check().verify(repair, f -> {
                    write(json, f);
                    List<PairCheck.Found> l = listed.computeIfAbsent(f.kind(), k -> new ArrayList<>());
                    if (l.size() < LISTED) {
                        l.add(f);
                    }
                });
                json.writeEndArray();
                writeSummary(json, result);
                json.writeEndObject();
                printVerify(result, listed, repair);
                differ |= result.total() > 0;
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        if (output != null) {
            out.println("Full list: " + output.toAbsolutePath());
        }
        return differ ? DIFFER : AGREE;
    }

    private int dryRun(List<SyncPair> pairs) {
        for (SyncPair pair : pairs) {
            Map<Side, List<PairCheck.Found>> listed = new LinkedHashMap<>();
            Map<Side, Map<String, Long>> byReason = new LinkedHashMap<>();
            for (Side source : Side.values()) {
                listed.put(source, new ArrayList<>());
                byReason.put(source, new LinkedHashMap<>(Map.of("missing", 0L, "older", 0L, "tie-break", 0L)));
            }
            List<PairCheck.Found> unreadable = new ArrayList<>();
            PairCheck.Result result = pair.check().dryRun(f -> {
                if (f.winner() == null) {
                    unreadable.add(f);
                    return;
                }
                byReason.get(f.winner()).merge(f.kind().reason(), 1L, Long::sum);
                if (listed.get(f.winner()).size() < LISTED) {
                    listed.get(f.winner()).add(f);
                }
            });
            out.printf(Locale.ROOT, "pair %s (dry run: nothing written, no checkpoint moved): read %d from Cassandra, %d from"
                    + " Elasticsearch in %.1f s%n", pair.name(), result.readCassandra(), result.readElasticsearch(),
                    result.millis() / 1000.0);
            for (Side source : Side.values()) {
                Map<String, Long> reasons = byReason.get(source);
                long total = reasons.values().stream().mapToLong(Long::longValue).sum();
                out.printf(Locale.ROOT, "  %s→%s would write %d (missing %d, older %d, tie-break %d)%n", source.label(),
                        source.opposite().label(), total, reasons.get("missing"), reasons.get("older"),
                        reasons.get("tie-break"));
                for (PairCheck.Found f : listed.get(source)) {
                    out.printf(Locale.ROOT, "    %s  %-9s  cassandra %s  elasticsearch %s%n", f.id(), f.kind().reason(),
                            orDash(f.cassandraLastModified()), orDash(f.elasticsearchLastModified()));
                }
            }
            if (!unreadable.isEmpty()) {
                out.printf(Locale.ROOT, "  unreadable (would go to the dead-letter file): %d%n", unreadable.size());
                unreadable.stream().limit(LISTED).forEach(f -> out.printf(Locale.ROOT, "    %s  %s%n", f.id(), f.detail()));
            }
        }
        return AGREE;
    }

    private void printVerify(PairCheck.Result r, Map<PairCheck.Difference, List<PairCheck.Found>> listed,
            boolean repair) {
        out.printf(Locale.ROOT, "pair %s: %d records read in Cassandra, %d in Elasticsearch, in %.1f s%n", r.pair(),
                r.readCassandra(), r.readElasticsearch(), r.millis() / 1000.0);
        if (r.elasticsearchByCopies()) {
            out.println("  (every Elasticsearch document is the copy of a row: compared from the Cassandra side)");
        }
        for (PairCheck.Difference d : PairCheck.Difference.values()) {
            out.printf(Locale.ROOT, "  %-40s %,12d%n", d.text(), r.differences().get(d));
        }
        if (r.shapedByYourSteps() > 0) {
            out.printf(Locale.ROOT, "  %-40s %,12d%n", "as your steps shape them (no difference)",
                    r.shapedByYourSteps());
        }
        out.printf(Locale.ROOT, "  %-40s %,12d%s%n", "differences", r.total(),
                r.total() == 0 ? ": the stores agree" : "");
        if (repair) {
            out.printf(Locale.ROOT, "  %-40s %,12d%n", "repaired (newest version written)", r.repaired());
            if (r.conflicts() > 0) {
                out.printf(Locale.ROOT, "  %-40s %,12d%n", "changed while repairing (left alone)", r.conflicts());
            }
        }
        listed.values().stream().flatMap(List::stream).sorted(Comparator.comparing(PairCheck.Found::kind))
                .forEach(f -> out.printf(Locale.ROOT, "    %s  %-40s cassandra %s  elasticsearch %s%s%n", f.id(), f.kind().text(),
                        orDash(f.cassandraLastModified()), orDash(f.elasticsearchLastModified()),
                        f.detail() == null ? "" : "  " + f.detail()));
    }

    private static void write(JsonGenerator json, PairCheck.Found f) {
        try {
            json.writeStartObject();
            json.writeStringField("id", f.id() == null ? null : f.id().toString());
            json.writeStringField("difference", f.kind().name().toLowerCase(Locale.ROOT));
            json.writeStringField("cassandra_last_modified", orNull(f.cassandraLastModified()));
            json.writeStringField("elasticsearch_last_modified", orNull(f.elasticsearchLastModified()));
            json.writeStringField("newest", f.winner() == null ? null : f.winner().label());
            if (f.detail() != null) {
                json.writeStringField("detail", f.detail());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeSummary(JsonGenerator json, PairCheck.Result r) throws IOException {
        json.writeObjectFieldStart("summary");
        json.writeNumberField("cassandra_records", r.readCassandra());
        json.writeNumberField("elasticsearch_records", r.readElasticsearch());
        json.writeBooleanField("elasticsearch_compared_from_cassandra", r.elasticsearchByCopies());
        for (var e : r.differences().entrySet()) {
            json.writeNumberField(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
        }
        json.writeNumberField("shaped_by_your_steps", r.shapedByYourSteps());
        json.writeNumberField("repaired", r.repaired());
        json.writeNumberField("changed_while_repairing", r.conflicts());
        json.writeNumberField("millis", r.millis());
        json.writeEndObject();
    }

    private static List<SyncPair> pairs(Main main, String name) {
        Map<String, SyncPair> all = new java.util.TreeMap<>();
        main.getCamelContext().getRegistry().findByTypeWithName(SyncPair.class)
                .forEach((bean, pair) -> {
                    if (bean.startsWith(SyncPair.BEAN_PREFIX)) {
                        all.put(pair.name(), pair);
                    }
                });
        if (name == null) {
            return List.copyOf(all.values());
        }
        SyncPair pair = all.get(name);
        if (pair == null) {
            throw new CommandFailedException("no pair named '" + name + "' (pairs: " + String.join(", ", all.keySet())
                    + ")");
        }
        return List.of(pair);
    }

    private static String orDash(Object v) {
        return v == null ? "-" : v.toString();
    }

    private static String orNull(Object v) {
        return v == null ? null : v.toString();
    }
}

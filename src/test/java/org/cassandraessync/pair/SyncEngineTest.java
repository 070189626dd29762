package org.cassandraessync.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.OutputNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TryDefinition;
import org.cassandraessync.cycle.CycleSummary;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;
import org.cassandraessync.support.InMemoryStore;
import org.cassandraessync.support.InMemoryStores;
import org.cassandraessync.support.ReadmeExample;
import org.cassandraessync.support.RunningDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync engine as the daemon runs it (Camel Main, the shipped route template, SyncPair, the
 * cycle) with both stores held in memory: the rules of the sync contract, each in a few hundred
 * milliseconds, no database needed.
 */
class SyncEngineTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final AtomicInteger DAEMONS = new AtomicInteger();
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    /** Deleted after the last scenario, once every daemon has stopped (they stop in the background). */
    @TempDir
    static Path stateDirs;
    private final Path stateDir = stateDirs.resolve("scenario-" + SCENARIOS.incrementAndGet());

    @AfterAll
    static void everyDaemonStopped() {
        RunningDaemon.awaitBackgroundStops();
    }

    /** The test's start: each test writes its records shortly before it, as an application just did. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final InMemoryStores stores = new InMemoryStores();
    private final InMemoryStore cassandra = stores.cassandra();
    private final InMemoryStore elasticsearch = stores.elasticsearch();

    private RunningDaemon start() {
        return start(Map.of());
    }

    private RunningDaemon start(Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(more);
        properties.put("sync.state-dir", stateDir.toString());
        properties.put("sync.period", "50ms");
        properties.put("camel.main.shutdown-timeout", "1");
        properties.put("camel.main.jmx-enabled", "false");
        // each daemon its own Camel context name (Quartz names its scheduler after it): one stops in the
        // background while the next scenario runs (awaited after the last)
        properties.put("camel.main.name", "sync-engine-test-" + DAEMONS.incrementAndGet());
        properties.put("camel.management.enabled", "false");
        return RunningDaemon.start(properties, Map.of(StoreFactory.BEAN, stores)).stoppingInBackground();
    }

    /** The counts of every cycle since start, once a whole cycle ran after the current one. */
    private static CycleSummary settled(RunningDaemon daemon) {
        await("a first cycle").atMost(LIMIT).until(daemon::lastCycle, c -> c != null);
        daemon.awaitNextFullCycle();
        return daemon.cycle().totals();
    }

    private static Map<String, Object> name(String value) {
        return Map.of("name", value);
    }

    private static String nameOf(InMemoryStore store, UUID id) {
        return store.get(id).map(r -> (String) r.fields().get("name")).orElse(null);
    }

    @Test
    void the_newer_version_overwrites_the_older_one_in_both_directions() {
        UUID newerInElasticsearch = UUID.randomUUID();
        UUID newerInCassandra = UUID.randomUUID();
        cassandra.put(newerInElasticsearch, now.minusSeconds(10), name("old in cassandra"));
        elasticsearch.put(newerInElasticsearch, now.minusSeconds(5), name("new in elasticsearch"));
        cassandra.put(newerInCassandra, now.minusSeconds(5), name("new in cassandra"));
        elasticsearch.put(newerInCassandra, now.minusSeconds(10), name("old in elasticsearch"));

        try (RunningDaemon daemon = start()) {
            CycleSummary totals = settled(daemon);

            assertThat(totals.writtenCassandra()).isEqualTo(1);
            assertThat(totals.writtenElasticsearch()).isEqualTo(1);
            assertThat(nameOf(cassandra, newerInElasticsearch)).isEqualTo("new in elasticsearch");
            assertThat(nameOf(elasticsearch, newerInElasticsearch)).isEqualTo("new in elasticsearch");
            assertThat(nameOf(elasticsearch, newerInCassandra)).isEqualTo("new in cassandra");
            assertThat(nameOf(cassandra, newerInCassandra)).isEqualTo("new in cassandra");
        }
    }

    @Test
    void equal_timestamps_with_different_content_go_to_the_tie_breaker_on_both_sides() {
        UUID id = UUID.randomUUID();
        cassandra.put(id, now.minusSeconds(5), name("cassandra's"));
        elasticsearch.put(id, now.minusSeconds(5), name("elasticsearch's"));

        try (RunningDaemon daemon = start()) {
            settled(daemon);

            // sync.tie-breaker defaults to cassandra
            assertThat(nameOf(elasticsearch, id)).isEqualTo("cassandra's");
            assertThat(nameOf(cassandra, id)).isEqualTo("cassandra's");
        }
    }

    @Test
    void a_record_on_one_side_only_is_copied_to_the_other_and_later_changes_follow() {
        UUID fromCassandra = UUID.randomUUID();
        UUID fromElasticsearch = UUID.randomUUID();
        cassandra.put(fromCassandra, now.minusSeconds(5), name("only in cassandra"));
        elasticsearch.put(fromElasticsearch, now.minusSeconds(5), name("only in elasticsearch"));

        try (RunningDaemon daemon = start()) {
            settled(daemon);
            assertThat(nameOf(elasticsearch, fromCassandra)).isEqualTo("only in cassandra");
            assertThat(nameOf(cassandra, fromElasticsearch)).isEqualTo("only in elasticsearch");

            Instant edited = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            elasticsearch.put(fromCassandra, edited, name("edited in elasticsearch"));
            await("the edit in Cassandra").atMost(LIMIT).until(() -> nameOf(cassandra, fromCassandra),
                    "edited in elasticsearch"::equals);
        }
    }

    @Test
    void the_checkpoint_is_committed_only_after_the_writes_landed() throws Exception {
        UUID id = UUID.randomUUID();
        cassandra.put(id, now.minusSeconds(5), name("to copy"));
        CompletableFuture<Void> release = new CompletableFuture<>();
        elasticsearch.holdWritesUntil(release);
        Path checkpoint = stateDir.resolve("checkpoint-default.json");

        try (RunningDaemon daemon = start()) {
            await("the write handed to Elasticsearch").atMost(LIMIT).until(() -> elasticsearch.writesGiven() > 0);
            // the cycle cannot end before its writes: no checkpoint, no summary
            assertThat(checkpoint).doesNotExist();
            assertThat(daemon.lastCycle()).isNull();

            release.complete(null);
            assertThat(settled(daemon).writtenElasticsearch()).isEqualTo(1);
            assertThat(checkpoint).exists();
            assertThat(nameOf(elasticsearch, id)).isEqualTo("to copy");
        }
    }

    /**
     * A first copy long enough to commit its position (a slow store: 2 ms a write) fails two
     * thirds in (the store stops taking writes); meanwhile applications change records on both
     * sides, before and after the position. The next cycle goes on from the committed position
     * instead of reading the table again, and everything ends at its newest version on both
     * stores: the records before the position that changed meanwhile are read by the cycle after.
     */
    @Test
    void a_long_copy_that_failed_goes_on_from_its_committed_position_and_meets_the_changes_made_meanwhile()
            throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            cassandra.put(id, now.minusSeconds(60).plusMillis(i), name("row " + i));
        }
        AtomicBoolean storeDown = new AtomicBoolean();
        AtomicInteger landed = new AtomicInteger();
        elasticsearch.beforeEachWrite(w -> {
            if (storeDown.get() || landed.incrementAndGet() > 700) {
                storeDown.set(true);
                throw new IllegalStateException("Elasticsearch stopped answering");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        });
        List<CycleSummary> cycles = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path checkpoint = stateDir.resolve("checkpoint-default.json");

        try (RunningDaemon daemon = start()) {
            daemon.cycle().observe(new org.cassandraessync.cycle.CycleObserver() {
                @Override
                public void ended(CycleSummary summary) {
                    cycles.add(summary);
                }
            });
            await("the copy failed two thirds in").atMost(LIMIT).until(() -> !cycles.isEmpty());
            assertThat(cycles.get(0).failed()).isTrue();
            var position = new com.fasterxml.jackson.databind.ObjectMapper().readTree(checkpoint.toFile())
                    .path("cycle_position");
            assertThat(position.path("cassandra").path("position").isTextual())
                    .as("a position committed as the copy went: " + position).isTrue();
            String committedAt = position.path("cassandra").path("position").asText();
            int before = (int) ids.stream().filter(id -> cassandra.get(id).map(r -> key(r).compareTo(committedAt) <= 0)
                    .orElse(false)).count();
            assertThat(before).as("records before the committed position").isBetween(100, 700);

            // meanwhile: a newer version before the position, one after it, and one written to Elasticsearch
            UUID early = ids.get(0);
            UUID late = ids.get(990);
            UUID both = ids.get(995);
            cassandra.put(early, now.plusMillis(1), name("early, changed meanwhile"));
            cassandra.put(late, now.plusMillis(2), name("late, changed meanwhile"));
            elasticsearch.put(both, now.plusMillis(3), name("written to elasticsearch meanwhile"));
            int failed = cycles.size();
            storeDown.set(false);
            landed.set(Integer.MIN_VALUE);

            await("every record copied, the newest versions on both stores").atMost(LIMIT)
                    .until(() -> elasticsearch.size() == 1000 && "early, changed meanwhile".equals(nameOf(elasticsearch,
                            early)) && "late, changed meanwhile".equals(nameOf(elasticsearch, late))
                            && "written to elasticsearch meanwhile".equals(nameOf(cassandra, both)));
            CycleSummary resumed = cycles.stream().skip(failed).filter(c -> !c.failed()).findFirst().orElseThrow();
            assertThat(resumed.readCassandra()).as("the cycle that went on read what was left, not the table")
                    .isLessThanOrEqualTo(1000 - before + 1).isGreaterThanOrEqualTo(1000 - before - 1);
            settled(daemon);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(checkpoint.toFile())
                    .path("cycle_position").isMissingNode()).as("the ended copy left no position").isTrue();
            for (UUID id : ids) {
                assertThat(elasticsearch.get(id).map(SyncRecord::lastModified))
                        .isEqualTo(cassandra.get(id).map(SyncRecord::lastModified));
            }
        }
    }

    /** The in-memory store's order, as its positions give it ({@code <timestamp> <id>}). */
    private static String key(SyncRecord r) {
        return String.format(java.util.Locale.ROOT, "%020d %s", r.lastModified().toEpochMilli(), r.id());
    }

    @Test
    void a_write_refused_because_the_target_changed_is_a_conflict_decided_again_by_the_next_cycle() {
        UUID id = UUID.randomUUID();
        cassandra.put(id, now.minusSeconds(10), name("old in cassandra"));
        elasticsearch.put(id, now.minusSeconds(20), name("older in elasticsearch"));
        AtomicBoolean once = new AtomicBoolean();
        // an application edits the document between the cycle's read and its write
        elasticsearch.beforeEachWrite(w -> {
            if (once.compareAndSet(false, true)) {
                elasticsearch.put(id, now.minusSeconds(1), name("edited meanwhile in elasticsearch"));
            }
        });

        try (RunningDaemon daemon = start()) {
            await("the edit, newest, in Cassandra").atMost(LIMIT).until(() -> nameOf(cassandra, id),
                    "edited meanwhile in elasticsearch"::equals);
            assertThat(nameOf(elasticsearch, id)).as("never overwritten")
                    .isEqualTo("edited meanwhile in elasticsearch");
            CycleSummary totals = settled(daemon);
            assertThat(totals.conflicts()).isEqualTo(1);
            assertThat(totals.writtenElasticsearch()).isZero();
        }
    }

    @Test
    void a_record_the_target_refuses_goes_to_the_dead_letters_with_its_reason_and_the_rest_is_copied()
            throws Exception {
        UUID good = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        elasticsearch.put(good, now.minusSeconds(5), name("good"));
        elasticsearch.put(bad, now.minusSeconds(5), Map.of("name", "bad", "blob", "not for cassandra"));
        cassandra.refuseRecordsWith("blob");

        try (RunningDaemon daemon = start()) {
            CycleSummary totals = settled(daemon);

            assertThat(daemon.lastCycle().failed()).isFalse();
            assertThat(totals.rejected()).isEqualTo(1);
            assertThat(nameOf(cassandra, good)).isEqualTo("good");
            assertThat(cassandra.get(bad)).isEmpty();
            assertThat(Files.readString(stateDir.resolve("dead-letters-default.jsonl")))
                    .contains(bad.toString(), "cassandra cannot take the field blob").doesNotContain(good.toString());
        }
    }

    @Test
    void the_daemons_own_writes_and_the_overlap_are_not_read_again_with_content() {
        for (int i = 0; i < 250; i++) {
            cassandra.put(UUID.randomUUID(), now.minusSeconds(2), name("row " + i));
        }

        try (RunningDaemon daemon = start()) {
            await().atMost(LIMIT).until(() -> daemon.cycle().totals().writtenElasticsearch() == 250
                    && daemon.lastCycle() != null);
            // cycles go on while the copies and the re-read of the overlap (5 s) come back
            long after = daemon.lastCycle().cycle() + 5;
            await().atMost(LIMIT).until(() -> daemon.lastCycle().cycle() > after);

            assertThat(elasticsearch.size()).isEqualTo(250);
            assertThat(cassandra.contentReads()).as("each row's content read once").isEqualTo(250);
            assertThat(elasticsearch.contentReads()).as("the copies, read back by version only").isZero();
        }
    }

    @Test
    void the_route_named_in_to_elasticsearch_changes_or_stops_what_reaches_elasticsearch_and_nothing_else()
            throws Exception {
        Path routes = Files.createDirectories(stateDir.resolve("routes"));
        // the README's example route (drafts stopped, e-mail addresses masked)
        Files.writeString(routes.resolve("mine.yaml"), ReadmeExample.integratorsRoute());
        UUID published = UUID.randomUUID();
        UUID draft = UUID.randomUUID();
        UUID fromElasticsearch = UUID.randomUUID();
        cassandra.put(published, now.minusSeconds(5), Map.of("status", "published", "email", "ada@example.com"));
        cassandra.put(draft, now.minusSeconds(5), Map.of("status", "draft", "email", "bob@example.com"));
        elasticsearch.put(fromElasticsearch, now.minusSeconds(5), Map.of("status", "draft", "email", "cy@example.com"));

        try (RunningDaemon daemon = start(Map.of("sync.to-elasticsearch", "direct:to-elasticsearch",
                "camel.main.routes-include-pattern", "file:routes/*.yaml,file:" + routes + "/*.yaml"))) {
            settled(daemon);

            assertThat(elasticsearch.get(published).orElseThrow().fields()).containsEntry("email", "***");
            assertThat(elasticsearch.get(draft)).as("stopped on its way").isEmpty();
            assertThat(cassandra.get(fromElasticsearch).orElseThrow().fields())
                    .as("the way to Cassandra has no route of its own").containsEntry("email", "cy@example.com");
            assertThat(cassandra.get(published).orElseThrow().fields()).containsEntry("email", "ada@example.com");
        }
    }

    /** What a store held before: the engine never rewrites a version that is already in sync. */
    @Test
    void records_already_in_sync_are_not_written_again() {
        UUID id = UUID.randomUUID();
        cassandra.put(id, now.minusSeconds(5), name("same"));
        elasticsearch.put(id, now.minusSeconds(5), name("same"));
        SyncRecord.Stamp before = elasticsearch.get(id).orElseThrow().stamp();

        try (RunningDaemon daemon = start()) {
            CycleSummary totals = settled(daemon);

            assertThat(totals.unchanged()).isPositive();
            assertThat(totals.writtenInAll()).isZero();
            assertThat(elasticsearch.get(id).orElseThrow().stamp()).isEqualTo(before);
            assertThat(elasticsearch.contentReads()).as("the copy in Elasticsearch, known by its version").isZero();
        }
    }

    @Test
    void every_step_of_the_template_has_an_id_that_names_its_pair_and_two_pairs_run_side_by_side() {
        Map<String, String> pairs = new HashMap<>();
        for (String pair : new String[] {"orders", "invoices"}) {
            String prefix = "camel.route-template[" + pair + "].";
            pairs.put(prefix + "template-id", "cassandra-es-sync");
            pairs.put(prefix + "pair", pair);
            pairs.put(prefix + "keyspace", "shop");
            pairs.put(prefix + "table", pair);
            pairs.put(prefix + "index", pair);
        }
        UUID order = UUID.randomUUID();
        UUID invoice = UUID.randomUUID();
        stores.of("orders", Side.CASSANDRA).put(order, now.minusSeconds(5), name("order"));
        stores.of("invoices", Side.ELASTICSEARCH).put(invoice, now.minusSeconds(5),
                name("invoice"));

        try (RunningDaemon daemon = start(pairs)) {
            await("both pairs copied their record").atMost(LIMIT).until(() ->
                    nameOf(stores.of("orders", Side.ELASTICSEARCH), order) != null
                    && nameOf(stores.of("invoices", Side.CASSANDRA), invoice) != null);

            CamelContext context = daemon.context();
            List<String> unnamed = new ArrayList<>();
            for (RouteDefinition route : context.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteDefinitions()) {
                collectUnnamed(route.getOutputs(), unnamed);
            }
            assertThat(unnamed).as("steps without an id").isEmpty();
            for (String step : new String[] {"begin", "read-changes", "newest-wins", "decide-one-sided", "write-page",
                "commit", "failed"}) {
                assertThat(context.getProcessor("orders." + step)).as("orders." + step).isNotNull();
                assertThat(context.getProcessor("invoices." + step)).as("invoices." + step).isNotNull();
            }
        }
    }

    private static void collectUnnamed(List<?> steps, List<String> unnamed) {
        for (Object node : steps) {
            var step = (OptionalIdentifiedDefinition<?>) node;
            if (!step.hasCustomIdAssigned()) {
                unnamed.add(step.getShortName() + " " + step.getLabel());
            }
            if (step instanceof OutputNode withSteps) {
                collectUnnamed(withSteps.getOutputs(), unnamed);
            }
            if (step instanceof ChoiceDefinition choice) {
                collectUnnamed(choice.getWhenClauses(), unnamed);
                if (choice.getOtherwise() != null) {
                    collectUnnamed(List.of(choice.getOtherwise()), unnamed);
                }
            }
            if (step instanceof TryDefinition tryStep) {
                collectUnnamed(tryStep.getCatchClauses(), unnamed);
            }
        }
    }
}

package org.cassandraessync.ha;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.cassandraessync.bench.DaemonProcess;

/**
 * A pair's leader gauge ({@code cassandra_es_sync_leader}) on every instance, read as a fast
 * Prometheus would: a round every 100 ms, each instance asked at once with a 1 s bound. A frozen
 * instance answers a round's request when it resumes (the request waited in its socket's queue),
 * or not at all; either way the answer is kept with the time it came.
 */
final class LeaderGauges implements AutoCloseable {

    static final long EVERY_MILLIS = 100;

    /** One instance's answer: the gauge's value and when it came. */
    record Answer(String instance, double value, long atNanos) {
    }

    /** The answers to the requests sent at {@code startNanos} (an instance that did not answer is missing). */
    record Round(long startNanos, List<Answer> answers) {

        /** The instances that answered 1. */
        List<String> leaders() {
            return answers.stream().filter(a -> a.value() == 1.0).map(Answer::instance).toList();
        }
    }

    private final Instances instances;
    private final String pair;
    private final List<Round> rounds = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> inFlight = new CopyOnWriteArrayList<>();
    // daemon threads: a test that fails before close() leaves nothing running
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(LeaderGauges::daemon);
    private final ExecutorService requests = Executors.newCachedThreadPool(LeaderGauges::daemon);

    private LeaderGauges(Instances instances, String pair) {
        this.instances = instances;
        this.pair = pair;
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "leader-gauges");
        t.setDaemon(true);
        return t;
    }

    /** Starts sampling every instance's gauge of {@code pair} until {@link #close()}. */
    static LeaderGauges sample(Instances instances, String pair) {
        LeaderGauges gauges = new LeaderGauges(instances, pair);
        gauges.ticker.scheduleAtFixedRate(gauges::round, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);
        return gauges;
    }

    private void round() {
        long start = System.nanoTime();
        Map<String, CompletableFuture<Optional<Answer>>> asked = new LinkedHashMap<>();
        for (String name : List.copyOf(instances.names())) {
            DaemonProcess process = instances.get(name);
            asked.put(name, CompletableFuture.supplyAsync(() -> process.isAlive()
                    ? Instances.leaderGauge(process, pair).map(v -> new Answer(name, v, System.nanoTime()))
                    : Optional.empty(), requests));
        }
        inFlight.add(CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new)).thenRun(() -> {
            List<Answer> answers = new ArrayList<>();
            asked.values().forEach(f -> f.join().ifPresent(answers::add));
            rounds.add(new Round(start, answers));
        }));
    }

    /** The rounds sampled so far whose answers are all in, in the order they were sent. */
    List<Round> rounds() {
        List<Round> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingLong(Round::startNanos));
        return sorted;
    }

    /** Every answer of {@code instance} that came after {@code nanos}. */
    List<Answer> answersOf(String instance, long nanos) {
        return rounds().stream().flatMap(r -> r.answers().stream())
                .filter(a -> a.instance().equals(instance) && a.atNanos() > nanos).toList();
    }

    /** Stops sampling once the rounds sent have their answers (each is bounded by 1 s). */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the last rounds of the leader gauges did not end", e);
        } finally {
            requests.shutdownNow();
        }
    }
}

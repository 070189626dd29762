package org.cassandraessync;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cassandraessync.config.InvalidConfigurationException;
import org.cassandraessync.config.PairSettings;
import org.cassandraessync.config.SyncSetting;
import org.cassandraessync.config.SyncSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code config}: every {@code sync.*} key and every pair's parameters with the value the daemon
 * would use and where it came from. The sources, strongest first, as Camel resolves them:
 * overrides given by an embedding application, the environment ({@code SYNC_PERIOD} for
 * {@code sync.period}), {@code -D}, the working folder's {@code application.properties}, the
 * jar's, the catalogue's default. A pair's parameter comes from its declaration
 * ({@code camel.route-template[…]} keys, or a {@code templatedRoute} in {@code routes/*.yaml}),
 * else from the {@code sync.*} key it defaults to. Nothing is contacted and nothing is validated
 * here: a daemon that refuses to start can still be looked at.
 */
final class EffectiveConfiguration {

    private static final String FOLDER_FILE = "application.properties";
    private static final String JAR_FILE = "application.properties (in the jar)";
    private static final Pattern TEMPLATE_KEY = Pattern.compile("camel\\.route-template\\[([^\\]]+)\\]\\.(.+)");

    /** A value and where it came from. */
    record Origin(String value, String source) {
    }

    private final Map<String, String> overrides;
    private final Function<String, String> environment;
    private final Properties system;
    /** The working folder's application.properties, then the jar's: the first that has a key gives it. */
    private final Map<String, Properties> files = new LinkedHashMap<>();
    private final Path routes;

    EffectiveConfiguration(Map<String, String> overrides, Function<String, String> environment, Properties system,
            Path workDir) {
        this.overrides = overrides;
        this.environment = environment;
        this.system = system;
        Path local = workDir.resolve("application.properties");
        try (InputStream folder = Files.isRegularFile(local) ? Files.newInputStream(local) : null;
                InputStream jar = EffectiveConfiguration.class.getResourceAsStream("/application.properties")) {
            files.put(FOLDER_FILE, load(folder));
            files.put(JAR_FILE, load(jar));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + local, e);
        }
        this.routes = workDir.resolve("routes");
    }

    private static Properties load(InputStream in) throws IOException {
        Properties properties = new Properties();
        if (in != null) {
            properties.load(in);
        }
        return properties;
    }

    /** Where {@code key}'s value comes from; empty when no source sets it. */
    Optional<Origin> lookup(String key) {
        if (overrides.containsKey(key)) {
            return Optional.of(new Origin(overrides.get(key), "set by the embedding application"));
        }
        String variable = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        String fromEnvironment = environment.apply(variable);
        if (fromEnvironment != null) {
            return Optional.of(new Origin(fromEnvironment, "environment (" + variable + ")"));
        }
        if (system.getProperty(key) != null) {
            return Optional.of(new Origin(system.getProperty(key), "-D"));
        }
        for (Map.Entry<String, Properties> file : files.entrySet()) {
            if (file.getValue().getProperty(key) != null) {
                return Optional.of(new Origin(file.getValue().getProperty(key).trim(), file.getKey()));
            }
        }
        return Optional.empty();
    }

    /** The value of a catalogue key: a source, else the default; "default" also when a file repeats it. */
    Origin of(SyncSetting setting) {
        return lookup(setting.key())
                .map(o -> o.source().startsWith("application.properties") && o.value().equals(setting.defaultValue())
                        ? new Origin(o.value(), "default") : o)
                .orElse(new Origin(setting.defaultValue(), "default"));
    }

    /** The declared pairs, by name: parameter → value and where it was declared. */
    Map<String, Map<String, Origin>> declaredPairs() {
        Map<String, Map<String, Origin>> byId = new TreeMap<>();
        List<Map.Entry<String, String>> keys = new ArrayList<>();
        Stream.concat(files.values().stream().map(Properties::stringPropertyNames),
                Stream.of(system.stringPropertyNames(), overrides.keySet()))
                .flatMap(java.util.Set::stream).filter(k -> k.startsWith("camel.route-template[")).distinct()
                .forEach(k -> keys.add(Map.entry(k, "")));
        for (Map.Entry<String, String> key : keys) {
            Matcher m = TEMPLATE_KEY.matcher(key.getKey());
            if (m.matches()) {
                lookup(key.getKey()).ifPresent(o -> byId.computeIfAbsent(m.group(1), id -> new LinkedHashMap<>())
                        .put(m.group(2), new Origin(o.value(), "pair declaration (" + o.source() + ", "
                                + key.getKey() + ")")));
            }
        }
        Map<String, Map<String, Origin>> pairs = new TreeMap<>();
        byId.forEach((id, parameters) -> {
            if (!parameters.containsKey("template-id") || "cassandra-es-sync".equals(parameters.get("template-id")
                    .value())) {
                parameters.remove("template-id");
                pairs.put(Optional.ofNullable(parameters.get("pair")).map(Origin::value).orElse(id), parameters);
            }
        });
        pairs.putAll(yamlPairs());
        return pairs;
    }

    /** {@code templatedRoute}s of the cassandra-es-sync template in the working folder's {@code routes/*.yaml}. */
    private Map<String, Map<String, Origin>> yamlPairs() {
        Map<String, Map<String, Origin>> pairs = new TreeMap<>();
        if (!Files.isDirectory(routes)) {
            return pairs;
        }
        try (Stream<Path> files = Files.list(routes)) {
            for (Path yaml : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(yaml));
                if (!(root instanceof List<?> entries)) {
                    continue;
                }
                for (Object entry : entries) {
                    if (entry instanceof Map<?, ?> e && e.get("templatedRoute") instanceof Map<?, ?> t
                            && "cassandra-es-sync".equals(t.get("routeTemplateRef"))
                            && t.get("parameters") instanceof List<?> parameters) {
                        Map<String, Origin> declared = new LinkedHashMap<>();
                        for (Object p : parameters) {
                            if (p instanceof Map<?, ?> parameter && parameter.get("name") != null) {
                                declared.put(String.valueOf(parameter.get("name")), new Origin(
                                        String.valueOf(parameter.get("value")), "pair declaration (routes/"
                                                + yaml.getFileName() + ")"));
                            }
                        }
                        Origin name = declared.get("pair");
                        pairs.put(name == null ? String.valueOf(t.get("routeId")) : name.value(), declared);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + routes, e);
        }
        return pairs;
    }

    /**
     * The invalid sync.* keys among these values, each as the daemon's startup would name it (value
     * and what was expected); empty when it would start. Pair declarations are checked at startup.
     */
    List<String> problems() {
        try {
            SyncSettings.from(key -> lookup(key).map(Origin::value));
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.problems();
        }
    }

    /** Prints every key, then every pair (the pair {@code default} when none is declared). */
    void print(PrintStream out) {
        out.println("Settings (strongest source first: environment, -D, " + FOLDER_FILE + ", " + JAR_FILE
                + ", default):");
        for (SyncSetting setting : SyncSetting.values()) {
            Origin o = of(setting);
            out.printf(Locale.ROOT, "  %-44s %-32s %s%n", setting.key(), shown(setting.key(), o.value()), o.source());
        }
        Map<String, Map<String, Origin>> pairs = declaredPairs();
        if (pairs.isEmpty()) {
            out.printf(Locale.ROOT, "%nNo pair declared: the daemon syncs the pair '%s' from the sync.* keys above.%n",
                    PairSettings.DEFAULT_PAIR);
            pairs = Map.of(PairSettings.DEFAULT_PAIR, Map.of());
        }
        for (Map.Entry<String, Map<String, Origin>> pair : pairs.entrySet()) {
            out.printf(Locale.ROOT, "%nPair %s:%n", pair.getKey());
            for (String parameter : PairSettings.PARAMETERS) {
                if (parameter.equals("pair")) {
                    continue;
                }
                Origin o = pair.getValue().get(parameter);
                if (o == null) {
                    SyncSetting key = PairSettings.daemonKey(parameter).orElseThrow();
                    Origin daemon = of(key);
                    o = new Origin(daemon.value(), "from " + key.key() + ": " + daemon.source());
                }
                out.printf(Locale.ROOT, "  %-44s %-32s %s%n", parameter, shown(parameter, o.value()), o.source());
            }
        }
    }

    private static String shown(String key, String value) {
        if (SyncSetting.isSecret(key) && !value.isEmpty()) {
            return "****";
        }
        return value.isEmpty() ? "(empty)" : value;
    }
}

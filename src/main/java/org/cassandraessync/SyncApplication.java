package org.cassandraessync;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.main.Main;

/**
 * The daemon: a Camel Main on the jar's own {@code application.properties} and route template,
 * with what an operator keeps in the working folder on top of them. The folder's
 * {@code application.properties} overrides the jar's key by key (a file with one key changes one
 * key); every {@code routes/*.yaml} there is loaded beside the jar's template, and a
 * {@code routes/cassandra-es-sync.yaml} there replaces that template. {@code -D} system properties
 * and environment variables override both files.
 */
public final class SyncApplication {

    /**
     * The folder's file first: Camel takes a key from the first location that has it. The jar's is
     * in the standalone jar only (the tests and the demo run on the checkout's file).
     */
    static final String PROPERTIES_LOCATIONS = "file:application.properties;optional=true,"
            + "classpath:application.properties;optional=true";
    /** The route template inside the jar, and the name of a copy in the working folder that replaces it. */
    static final String PACKAGED_TEMPLATE = "classpath:routes/" + SyncConfiguration.TEMPLATE + ".yaml";
    static final Path FOLDER_TEMPLATE = Path.of("routes", SyncConfiguration.TEMPLATE + ".yaml");

    private SyncApplication() {
    }

    public static void main(String[] args) {
        // the commands' marks (✔ ⚠ ✘) whatever the platform's default charset
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(new SyncCli(out, err, Map.of()).execute(args));
    }

    /** A configured, not yet started daemon; {@code properties} override every other source. */
    public static Main create(Map<String, String> properties) {
        Main main = new Main();
        main.setAppName("cassandra-es-sync");
        main.setPropertyPlaceholderLocations(PROPERTIES_LOCATIONS);
        main.configure().withRoutesIncludePattern(routesIncludePattern(Path.of("")));
        main.configure().addConfiguration(new SyncConfiguration());
        // camel-main reads pairs (camel.route-template[...]) from its property files only; -D declares them too
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("camel.route-template["))
                .forEach(k -> main.addOverrideProperty(k, System.getProperty(k)));
        properties.forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * The working folder's {@code routes/*.yaml}, and the jar's template unless the folder holds a
     * copy of it: an integrator's route added there never takes the template away.
     */
    static String routesIncludePattern(Path workDir) {
        if (!Files.isDirectory(workDir.resolve("routes"))) {
            return PACKAGED_TEMPLATE;
        }
        return Files.isRegularFile(workDir.resolve(FOLDER_TEMPLATE)) ? "file:routes/*.yaml"
                : "file:routes/*.yaml," + PACKAGED_TEMPLATE;
    }

    /**
     * When {@code failure} is Camel's "Cannot find RouteTemplate with id cassandra-es-sync": where
     * the daemon looked for it and what to do.
     */
    static Optional<String> missingTemplate(Throwable failure, Main main) {
        String missing = "Cannot find RouteTemplate with id " + SyncConfiguration.TEMPLATE;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(missing)) {
                String pattern = main.configure().getRoutesIncludePattern();
                return Optional.of("no route template '" + SyncConfiguration.TEMPLATE + "' among the routes loaded"
                        + " from " + pattern + " (in " + Path.of("").toAbsolutePath() + "), and every pair is an"
                        + " instance of it. The jar's copy (" + PACKAGED_TEMPLATE + ") is loaded unless "
                        + FOLDER_TEMPLATE + " in the working folder replaces it: make that file the template again"
                        + " (the shipped one is in the jar: unzip -p cassandra-es-sync.jar " + FOLDER_TEMPLATE
                        + ") or remove it; where camel.main.routes-include-pattern is set, add "
                        + PACKAGED_TEMPLATE + " to it");
            }
        }
        return Optional.empty();
    }
}

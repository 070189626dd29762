package org.cassandraessync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.main.Main;
import org.cassandraessync.config.InvalidConfigurationException;
import org.cassandraessync.SyncConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: a Camel Main that loads {@code application.properties} and the YAML routes from the
 * working directory when they are there (so operators edit them beside the jar), else the copies
 * packaged in the jar. {@code -D} system properties and environment variables override the file.
 */
public final class SyncApplication {

    private static final Logger LOG = LoggerFactory.getLogger(SyncApplication.class);

    private SyncApplication() {
    }

    public static void main(String[] args) {
        if (SyncCommands.isCommand(args)) {
            // the command's own output, not Camel's start-up lines
            if (LoggerFactory.getLogger("org.apache.camel") instanceof ch.qos.logback.classic.Logger camel) {
                camel.setLevel(ch.qos.logback.classic.Level.WARN);
            }
            int code;
            try {
                code = new SyncCommands(System.out).run(args, Map.of());
            } catch (Exception e) {
                // a bad option or pair name is ours to explain; anything else shows its cause
                LOG.error("{} failed: {}", args[0], e instanceof IllegalArgumentException ? e.getMessage() : rootMessage(e));
                code = SyncCommands.ERROR;
            }
            System.exit(code);
        }
        try {
            create(Map.of()).run(args);
        } catch (Exception e) {
            LOG.error("cassandra-es-sync did not start: {}", rootMessage(e));
            System.exit(1);
        }
    }

    /** A configured, not yet started daemon; {@code properties} override every other source. */
    public static Main create(Map<String, String> properties) {
        Main main = new Main();
        main.setAppName("cassandra-es-sync");
        main.setPropertyPlaceholderLocations(Files.isRegularFile(Path.of("application.properties"))
                ? "file:application.properties" : "classpath:application.properties");
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of("routes"))
                ? "file:routes/*.yaml" : "classpath:routes/*.yaml");
        main.configure().addConfiguration(new SyncConfiguration());
        // camel-main reads pairs (camel.route-template[...]) from its property files only; -D declares them too
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("camel.route-template["))
                .forEach(k -> main.addOverrideProperty(k, System.getProperty(k)));
        properties.forEach(main::addOverrideProperty);
        return main;
    }

    /** The first message of our own, skipping the exceptions Camel wraps startup failures in. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getClass().getName().startsWith("org.apache.camel.")) {
            t = t.getCause();
        }
        return t instanceof InvalidConfigurationException ? t.getMessage() : t.toString();
    }
}

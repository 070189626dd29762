package org.cassandraessync;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.main.Main;

/**
 * The daemon: a Camel Main that loads {@code application.properties} and the YAML routes from the
 * working directory when they are there (so operators edit them beside the jar), else the copies
 * packaged in the jar. {@code -D} system properties and environment variables override the file.
 */
public final class SyncApplication {

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
}

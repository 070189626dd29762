package org.cassandraessync.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds an installed JDK of a wanted major version at run time, never by a hard-coded path: the
 * candidates are {@code ES_JAVA_HOME}, {@code JAVA_HOME}, the running JDK, and every JDK installed
 * beside any of those (e.g. the other folders of {@code /usr/lib/jvm}).
 */
final class Jdks {

    private Jdks() {
    }

    /** A JDK whose major version is in [min, max], or a clear error listing what was found. */
    static Path find(String purpose, int min, int max) {
        List<String> seen = new ArrayList<>();
        for (Path home : candidates()) {
            Optional<Integer> major = majorVersion(home);
            if (major.isEmpty()) {
                continue;
            }
            seen.add(home + " (" + major.get() + ")");
            if (major.get() >= min && major.get() <= max) {
                return home;
            }
        }
        throw new IllegalStateException(purpose + " needs a JDK with major version " + min
                + (max == Integer.MAX_VALUE ? "+" : " to " + max)
                + "; none found. Install one or point ES_JAVA_HOME/JAVA_HOME at it. JDKs seen: " + seen);
    }

    private static Set<Path> candidates() {
        List<Path> roots = new ArrayList<>();
        Stream.of(System.getenv("ES_JAVA_HOME"), System.getenv("JAVA_HOME"), System.getProperty("java.home"))
                .filter(s -> s != null && !s.isBlank())
                .map(Path::of)
                .forEach(roots::add);
        Set<Path> result = new LinkedHashSet<>();
        for (Path root : roots) {
            result.add(real(root));
        }
        for (Path root : roots) {
            Path parent = real(root).getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> siblings = Files.list(parent)) {
                siblings.sorted().map(Jdks::real).forEach(result::add);
            } catch (IOException e) {
                // an unreadable folder simply offers no candidates
            }
        }
        return result;
    }

    static Optional<Integer> majorVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String first = v.startsWith("1.") ? v.substring(2).split("\\.")[0] : v.split("[.+-]")[0];
        try {
            return Optional.of(Integer.parseInt(first));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}

package org.cassandraessync.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A program the tests need that Maven Central does not serve (Prometheus and its promtool): taken
 * from the PATH when it is there, else from a Debian package that the build fetches with
 * {@code apt-get download} and unpacks into the sandbox folder with {@code dpkg-deb -x}, as it
 * fetches the stores: nothing is installed and no service is started. As root, a package list that
 * lacks the package is refreshed first ({@code apt-get update}, what a fresh machine needs).
 */
public final class DebianPackage {

    private final String name;
    private final Path root;

    private DebianPackage(String name, Path sandboxDir) {
        this.name = name;
        this.root = sandboxDir.resolve(name);
    }

    /** The package {@code name}, unpacked under {@code sandbox.dir} (default {@code target/sandbox}). */
    public static DebianPackage of(String name) {
        return new DebianPackage(name, Path.of(System.getProperty("sandbox.dir", "target/sandbox")).toAbsolutePath());
    }

    /**
     * The executable {@code program} of this package: the first on the PATH, else the unpacked
     * package's {@code usr/bin/program}, fetched on first use.
     *
     * @throws IllegalStateException saying how to install it, when neither works
     */
    public synchronized String binary(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        Path unpacked = root.resolve("usr").resolve("bin").resolve(program);
        if (!Files.isExecutable(unpacked)) {
            fetch(program);
        }
        return unpacked.toString();
    }

    private void fetch(String program) {
        Path downloads = root.resolveSibling("downloads").resolve(name + "-deb");
        try {
            Files.createDirectories(downloads);
            String download = run(downloads, "apt-get", "download", name);
            if (debs(downloads).isEmpty() && "root".equals(System.getProperty("user.name"))) {
                // a fresh machine's package lists may be empty or old
                run(downloads, "apt-get", "update", "-qq");
                download = run(downloads, "apt-get", "download", name);
            }
            List<Path> debs = debs(downloads);
            if (debs.isEmpty()) {
                throw new IllegalStateException(program + " is not on the PATH, and Debian's " + name + " package"
                        + " could not be fetched (apt-get download " + name + ": " + download.strip() + "). Install it"
                        + " (apt-get install -y " + name + ") or put " + program + " on the PATH.");
            }
            Path unpacking = Files.createTempDirectory(root.getParent(), name + "-");
            run(unpacking, "dpkg-deb", "-x", debs.get(0).toString(), unpacking.toString());
            Files.move(unpacking, root, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch Debian's " + name + " package into " + root, e);
        }
    }

    private static List<Path> debs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".deb")).sorted().toList();
        }
    }

    /** Runs {@code command} in {@code dir}; answers its output (a command that is missing answers why). */
    private static String run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not end within 5 minutes";
            }
            return output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

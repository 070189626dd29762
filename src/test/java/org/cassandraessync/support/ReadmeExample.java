package org.cassandraessync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The examples of the README, as the tests run them word for word. */
public final class ReadmeExample {

    private ReadmeExample() {
    }

    /**
     * The integrator's own route of "Adding a step to the flow" (the first yaml block of that
     * section): drafts stopped, e-mail addresses masked, endpoint {@code direct:to-elasticsearch}.
     */
    public static String integratorsRoute() {
        try {
            String readme = Files.readString(Path.of("README.md"));
            int section = readme.indexOf("## Adding a step to the flow");
            int start = readme.indexOf("```yaml\n", section);
            if (section < 0 || start < 0) {
                throw new IllegalStateException("README.md has no yaml example under 'Adding a step to the flow'");
            }
            start += "```yaml\n".length();
            return readme.substring(start, readme.indexOf("```", start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

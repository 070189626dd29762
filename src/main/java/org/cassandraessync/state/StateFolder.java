package org.cassandraessync.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether the daemon could keep files in a folder (state, lock files), found without creating anything. */
public final class StateFolder {

    private StateFolder() {
    }

    /** Why files cannot be kept in {@code dir}; empty when it is, or could be created in, a writable folder. */
    public static Optional<String> problem(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            return Optional.of("cannot create or write the folder " + dir.toAbsolutePath()
                    + (existing == null ? "" : " (" + existing + " is not a writable folder)"));
        }
        return Optional.empty();
    }
}

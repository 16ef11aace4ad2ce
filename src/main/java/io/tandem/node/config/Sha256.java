package io.tandem.node.config;

import java.io.IOException;
import java.nio.file.Path;

/** The SHA-256 of a file, as lowercase hex, read without following a symbolic link (see {@link SafeFiles}). */
public final class Sha256 {

    private Sha256() {
    }

    public static String of(Path file) throws IOException {
        return SafeFiles.sha256(file);
    }
}

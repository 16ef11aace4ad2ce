package io.tandem.node.config;

/**
 * One file of a change, as uploaded.
 *
 * @param path relative to the NFO home
 * @param expectedSha256 what the sender computed; the upload is refused unless the bytes match
 * @param mode octal permissions for the new file, or null to keep the current file's (0644 for a new file)
 */
public record StagedFile(String path, byte[] bytes, String expectedSha256, String mode) {

    /** A file read from one node, to be written on another as it is there: same path, bytes, hash and mode. */
    public static StagedFile of(ConfigFile file) {
        return new StagedFile(file.path(), file.bytes(), file.sha256(), file.mode());
    }
}

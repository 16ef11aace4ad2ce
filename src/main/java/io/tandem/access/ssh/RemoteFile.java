package io.tandem.access.ssh;

import java.time.Instant;

/**
 * What SFTP says about one remote path.
 *
 * @param permissions the permission bits only ({@code 0644}), without the file type
 * @param modified null when the server did not say
 */
public record RemoteFile(String path, Kind kind, long size, int permissions, Instant modified) {

    public enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }
}

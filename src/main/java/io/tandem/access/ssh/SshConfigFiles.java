package io.tandem.access.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

import io.tandem.access.NodeTarget;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigScope;

/**
 * NFO's configuration files on a node over SFTP, confined by the very rule the agent applies
 * ({@link ConfigScope#confine}), with SFTP {@code lstat} as its eyes: the agentless adapter refuses exactly what
 * the agent refuses, with the same {@link ConfigRefusal}.
 */
final class SshConfigFiles {

    private final SshFiles files;
    private final NodeTarget node;
    private final long maxBytes;

    SshConfigFiles(SshFiles files, NodeTarget node, long maxBytes) {
        this.files = files;
        this.node = node;
        this.maxBytes = maxBytes;
    }

    /** A refusal computed inside an SFTP session, thrown once the session is closed. */
    private record Refusable<T>(T value, ConfigRefusedException refused) {
        static <T> Refusable<T> of(T value) {
            return new Refusable<>(value, null);
        }

        static <T> Refusable<T> refused(ConfigRefusedException refused) {
            return new Refusable<>(null, refused);
        }

        T get() throws ConfigRefusedException {
            if (refused != null) {
                throw refused;
            }
            return value;
        }
    }

    ConfigFile read(String relative) throws NodeAccessException, ConfigRefusedException {
        return files.<Refusable<ConfigFile>>withSftp("reading a configuration file", sftp -> {
            try {
                String home = realHome(sftp);
                scope(home).confine(relative, prefix -> kind(sftp, home + "/" + prefix));
                String path = home + "/" + relative;
                Attributes attributes = lstat(sftp, path);
                if (attributes == null) {
                    throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, relative, "no such file");
                }
                if (attributes.getSize() > maxBytes) {
                    throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relative,
                            attributes.getSize() + " bytes, limit " + maxBytes);
                }
                byte[] bytes;
                try (CloseableHandle handle = sftp.open(path, OpenMode.Read)) {
                    bytes = SshFiles.readUpTo(sftp, handle, maxBytes);
                }
                if (bytes.length > maxBytes) {
                    throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relative, "grew beyond " + maxBytes);
                }
                // The components were checked before opening; re-check that nothing was swapped for a link meanwhile.
                if (!sftp.canonicalPath(path).startsWith(home + "/")) {
                    throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, relative, "left the home");
                }
                Instant modified = attributes.getModifyTime() == null ? null : attributes.getModifyTime().toInstant();
                return Refusable.of(ConfigFile.of(relative, bytes, attributes.getPermissions(), modified));
            } catch (ConfigRefusedException refused) {
                return Refusable.refused(refused);
            }
        }).get();
    }

    /** Work that confines paths with SFTP {@code lstat} as its eyes, inside one SFTP session. */
    @FunctionalInterface
    interface Confined<T> {
        T apply(ConfigScope.Inspector<IOException> lstat) throws IOException, ConfigRefusedException;
    }

    /** Runs {@code work} with an inspector of the paths below {@code home} (not resolved: the shell follows it too). */
    <T> T withInspector(String home, Confined<T> work) throws NodeAccessException, ConfigRefusedException {
        return files.<Refusable<T>>withSftp("checking configuration paths", sftp -> {
            try {
                return Refusable.of(work.apply(prefix -> kind(sftp, home + "/" + prefix)));
            } catch (ConfigRefusedException refused) {
                return Refusable.refused(refused);
            }
        }).get();
    }

    /** The home as the node resolves it, so a symlinked {@code /opt/flowintegrator} works as it does for the agent. */
    private String realHome(SftpClient sftp) throws IOException, ConfigRefusedException {
        String home = node.nfoHome();
        if (home == null || !home.startsWith("/")) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, home,
                    "the node's NFO home must be an absolute path");
        }
        try {
            String real = sftp.canonicalPath(home);
            return real.endsWith("/") ? real.substring(0, real.length() - 1) : real;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, home, "the NFO home does not exist", e);
            }
            throw e;
        }
    }

    ConfigScope scope(String realHome) throws ConfigRefusedException {
        if (realHome == null || !realHome.startsWith("/")) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, realHome,
                    "the node's NFO home must be an absolute path");
        }
        try {
            return new ConfigScope(Path.of(realHome), node.configIncludes(), node.configExcludes(),
                    ConfigScope.DEFAULT_MAX_FILES, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, null,
                    "the node's configuration globs are not usable: " + e.getMessage(), e);
        }
    }

    private static ConfigScope.Kind kind(SftpClient sftp, String path) throws IOException {
        Attributes attributes = lstat(sftp, path);
        if (attributes == null) {
            return ConfigScope.Kind.MISSING;
        }
        return attributes.isSymbolicLink() ? ConfigScope.Kind.SYMLINK
                : attributes.isDirectory() ? ConfigScope.Kind.DIRECTORY
                : attributes.isRegularFile() ? ConfigScope.Kind.REGULAR_FILE
                : ConfigScope.Kind.OTHER;
    }

    /** @return null when nothing is there; a link is described, never followed */
    private static Attributes lstat(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }
}

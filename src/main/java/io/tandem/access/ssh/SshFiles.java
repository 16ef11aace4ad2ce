package io.tandem.access.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

import io.tandem.node.NodeAccessException;

/**
 * A node's files over SFTP, on the node's shared connection. SFTP always runs as the login user,
 * even for a {@link SshTarget#sudo() sudo} target: files only root may read or write go through the
 * node's config-store commands instead. Paths must be absolute. Each operation as a whole is bounded
 * by {@link #timeout()}.
 */
public final class SshFiles {

    private static final int CHUNK = 32 * 1024;
    /** A directory listing longer than this is refused rather than held in memory. */
    private static final int MAX_ENTRIES = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SshConnections connections;
    private final SshTarget target;
    private final Duration timeout;

    SshFiles(SshConnections connections, SshTarget target) {
        this(connections, target, connections.settings().commandTimeout());
    }

    private SshFiles(SshConnections connections, SshTarget target, Duration timeout) {
        this.connections = Objects.requireNonNull(connections);
        this.target = Objects.requireNonNull(target);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
    }

    public SshFiles withTimeout(Duration operationTimeout) {
        return new SshFiles(connections, target, operationTimeout);
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * @throws NodeAccessException BadAnswer when the file is larger than {@code maxBytes} or not a
     *         regular file; RequestRefused (type {@code SSH_FX_NO_SUCH_FILE}, ...) when SFTP refuses
     */
    public byte[] read(String path, int maxBytes) throws NodeAccessException {
        requireAbsolute(path);
        if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBytes must be 0.." + (Integer.MAX_VALUE - 1));
        }
        return withSftp("reading " + path, sftp -> {
            Attributes attributes = sftp.stat(path);
            if (!attributes.isRegularFile()) {
                throw new NodeAccessException.BadAnswer(path + " on " + target.address() + " is not a regular file", null);
            }
            if (attributes.getSize() > maxBytes) {
                throw tooLarge(path, attributes.getSize(), maxBytes);
            }
            try (CloseableHandle handle = sftp.open(path, OpenMode.Read)) {
                byte[] content = readUpTo(sftp, handle, maxBytes);
                if (content.length > maxBytes) {
                    throw tooLarge(path, content.length, maxBytes);
                }
                return content;
            }
        });
    }

    /**
     * Replaces {@code path} so that a reader sees the old content or the new, never a mix: the bytes
     * go to a temporary file beside it, are flushed to disk, and the temporary file is renamed over it.
     *
     * @param permissions the permission bits of the new file, e.g. {@code 0644}
     */
    public void write(String path, byte[] content, int permissions) throws NodeAccessException {
        requireAbsolute(path);
        Objects.requireNonNull(content, "content");
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("permissions must be within 07777, was " + Integer.toOctalString(permissions));
        }
        String temp = temporaryNameBeside(path);
        withSftp("writing " + path, sftp -> {
            boolean renamed = false;
            try {
                try (CloseableHandle handle = sftp.open(temp, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)) {
                    for (int offset = 0; offset < content.length; offset += CHUNK) {
                        sftp.write(handle, offset, content, offset, Math.min(CHUNK, content.length - offset));
                    }
                    sftp.setStat(handle, new Attributes().perms(permissions));
                    fsyncIfSupported(sftp, handle);
                }
                replace(sftp, temp, path);
                renamed = true;
                return null;
            } finally {
                if (!renamed) {
                    removeQuietly(sftp, temp);
                }
            }
        });
    }

    /**
     * Streams a local file to a new remote {@code path} that must not exist yet (exclusive create: a file someone
     * placed there beforehand is refused, not written through), chunk by chunk so a large jar is never held whole.
     * A failed upload removes its partial file.
     *
     * @param permissions the permission bits of the new file, e.g. {@code 0600}
     */
    public void upload(java.nio.file.Path local, String path, int permissions) throws NodeAccessException {
        requireAbsolute(path);
        withSftp("uploading " + local.getFileName() + " to " + path, sftp -> {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(local)) {
                // a path that exists is refused here and stays someone else's file; only our own new file is removed
                CloseableHandle handle = sftp.open(path, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive);
                boolean complete = false;
                try (handle) {
                    sftp.setStat(handle, new Attributes().perms(permissions));
                    byte[] chunk = new byte[CHUNK];
                    long offset = 0;
                    for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                        sftp.write(handle, offset, chunk, 0, read);
                        offset += read;
                    }
                    fsyncIfSupported(sftp, handle);
                    complete = true;
                    return null;
                } finally {
                    if (!complete) {
                        removeQuietly(sftp, path);
                    }
                }
            }
        });
    }

    /** @return empty when nothing exists at {@code path}; a symbolic link is followed */
    public Optional<RemoteFile> stat(String path) throws NodeAccessException {
        requireAbsolute(path);
        return withSftp("examining " + path, sftp -> {
            try {
                return Optional.of(describe(path, sftp.stat(path)));
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The entries of a directory, without "." and "..", in the server's order; links are not followed. */
    public List<RemoteFile> list(String directory) throws NodeAccessException {
        requireAbsolute(directory);
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return withSftp("listing " + directory, sftp -> {
            List<RemoteFile> files = new ArrayList<>();
            for (DirEntry entry : sftp.readDir(directory)) {
                String name = entry.getFilename();
                if (".".equals(name) || "..".equals(name)) {
                    continue;
                }
                if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                    throw new NodeAccessException.BadAnswer(
                            "listing " + directory + " on " + target.address() + " returned an impossible name", null);
                }
                if (files.size() == MAX_ENTRIES) {
                    throw new NodeAccessException.BadAnswer(directory + " on " + target.address()
                            + " has more than " + MAX_ENTRIES + " entries", null);
                }
                files.add(describe(prefix + name, entry.getAttributes()));
            }
            return files;
        });
    }

    @FunctionalInterface
    interface SftpWork<T> {
        T apply(SftpClient sftp) throws IOException, NodeAccessException;
    }

    /**
     * Runs one operation on its own SFTP channel. MINA's SFTP calls wait on each reply without a
     * limit of ours, so a timer closes the channel at the deadline, which fails the waiting call.
     */
    <T> T withSftp(String step, SftpWork<T> work) throws NodeAccessException {
        String where = step + " on " + target.address();
        SftpClient sftp = connections.openChannel(target,
                (session, openTimeout) -> SftpClientFactory.instance().createSftpClient(session),
                SftpClient::getClientChannel);
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = connections.timer().schedule(() -> {
            expired.set(true);
            closeQuietly(sftp);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return work.apply(sftp);
        } catch (SftpException e) {
            throw refused(where, e);
        } catch (IOException | RuntimeException e) {
            if (expired.get()) {
                throw SshFailures.timedOut(where, timeout);
            }
            throw SshFailures.of(where, e, null);
        } finally {
            deadline.cancel(false);
            closeQuietly(sftp);
        }
    }

    /**
     * Reads from the start up to one byte past {@code limit}, so a caller sees that a file is larger than allowed
     * even when it grew since stat or the server lied about its size.
     */
    static byte[] readUpTo(SftpClient sftp, CloseableHandle handle, long limit) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        long offset = 0;
        while (offset <= limit) {
            int wanted = (int) Math.min(chunk.length, limit + 1L - offset);
            int read = sftp.read(handle, offset, chunk, 0, wanted);
            if (read < 0) {
                break;
            }
            content.write(chunk, 0, read);
            offset += read;
        }
        return content.toByteArray();
    }

    private static void fsyncIfSupported(SftpClient sftp, CloseableHandle handle) throws IOException {
        OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
        if (fsync != null && fsync.isSupported()) {
            fsync.fsync(handle);
        }
    }

    /**
     * posix-rename replaces the target atomically. Plain SFTP v3 rename fails when the target exists,
     * which is the safe outcome: we never delete first and leave a window with no file at all.
     */
    private static void replace(SftpClient sftp, String from, String to) throws IOException {
        OpenSSHPosixRenameExtension posixRename = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posixRename != null && posixRename.isSupported()) {
            posixRename.posixRename(from, to);
        } else {
            sftp.rename(from, to);
        }
    }

    private static String temporaryNameBeside(String path) {
        int slash = path.lastIndexOf('/');
        String directory = path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("path names a directory: " + path);
        }
        byte[] nonce = new byte[6];
        RANDOM.nextBytes(nonce);
        // Hidden and distinctive, so a config glob does not pick it up and an admin knows whose it is.
        return directory + "." + name + ".tandem-" + HexFormat.of().formatHex(nonce) + ".tmp";
    }

    private RemoteFile describe(String path, Attributes attributes) {
        RemoteFile.Kind kind = attributes.isRegularFile() ? RemoteFile.Kind.FILE
                : attributes.isDirectory() ? RemoteFile.Kind.DIRECTORY
                : attributes.isSymbolicLink() ? RemoteFile.Kind.SYMLINK
                : RemoteFile.Kind.OTHER;
        var modified = attributes.getModifyTime();
        return new RemoteFile(path, kind, Math.max(0, attributes.getSize()), attributes.getPermissions() & 07777,
                modified == null ? null : modified.toInstant());
    }

    private NodeAccessException tooLarge(String path, long size, int maxBytes) {
        return new NodeAccessException.BadAnswer(path + " on " + target.address() + " is larger ("
                + (size > maxBytes ? size + " bytes" : "more") + ") than the " + maxBytes + " bytes allowed", null);
    }

    private static NodeAccessException refused(String where, SftpException e) {
        String status = SftpConstants.getStatusName(e.getStatus());
        String message = where + ": " + status + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        if (e.getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED) {
            return new NodeAccessException.PermissionDenied(message, e);
        }
        return new NodeAccessException.RequestRefused(e.getStatus(), status, message);
    }

    private static void removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the operation already failed and that failure is the one to report.
        }
    }

    private static void closeQuietly(SftpClient sftp) {
        try {
            sftp.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing after a failure or a deadline; nothing more to learn from it.
        }
    }

    private static void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path must be absolute, was " + path);
        }
    }
}

package io.tandem.datastore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's data directory ({@code tandem.data-dir}, default {@code ./tandem-data}). Holding it
 * means holding an exclusive lock on {@code console.lock}, so two consoles never share one
 * directory (and so never one embedded database).
 */
public final class DataDirectory implements AutoCloseable {

    private static final String LOCK_FILE = "console.lock";
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed and locks it; fails with a message an operator can act on. */
    public static DataDirectory open(Path configured) {
        Path root = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new DataStoreException("Cannot create the data directory " + root + ": " + e.getMessage(),
                    "Create it and make it writable by this user, or point tandem.data-dir at a writable directory.");
        }
        closeToOthers(root);
        if (!Files.isWritable(root)) {
            throw new DataStoreException("The data directory " + root + " is not writable by this user.",
                    "Make it writable (chown/chmod), or point tandem.data-dir at a writable directory.");
        }
        Path lockFile = root.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw secondConsole(root, lockFile);
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
            return new DataDirectory(root, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw secondConsole(root, lockFile);
        } catch (DataStoreException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DataStoreException("Cannot lock " + lockFile + ": " + e.getMessage(),
                    "Check the permissions of the data directory.");
        }
    }

    /** Other users must not be able to replace what the console keeps here (database, programs, keys). */
    private static void closeToOthers(Path root) {
        try {
            if (Files.getFileAttributeView(root, PosixFileAttributeView.class) == null) {
                return;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(root);
            if (permissions.removeAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE))) {
                Files.setPosixFilePermissions(root, permissions);
                log.warn("The data directory {} was writable by other users; it no longer is", root);
            }
        } catch (IOException e) {
            throw new DataStoreException("Cannot restrict the data directory " + root + " to its owner: " + e.getMessage(),
                    "Make it writable by this user only (chmod go-w), or point tandem.data-dir at a directory this user owns.");
        }
    }

    private static DataStoreException secondConsole(Path root, Path lockFile) {
        String holder = "";
        try {
            holder = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
        } catch (IOException ignored) {
            // the pid is a courtesy; the lock is what matters
        }
        return new DataStoreException(
                "Another Tandem console" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + " is already using the data directory " + root + ".",
                "Stop the other console, or give this one its own directory with --tandem.data-dir=DIR.");
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do on a failed close of a lock file
            }
        }
    }
}

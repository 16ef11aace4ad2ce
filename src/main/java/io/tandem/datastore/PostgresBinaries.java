package io.tandem.datastore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.FileUtils;
import org.apache.commons.lang3.SystemUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * The PostgreSQL programs (initdb, pg_ctl, postgres) unpacked from the jar into a directory only this
 * user can write, so nobody else can swap the server binary between two starts. One directory per
 * archive digest: a new jar with other binaries unpacks beside the old one.
 */
final class PostgresBinaries {

    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String COMPLETE = ".complete";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PostgresBinaries() {
    }

    /** Returns the installation (with {@code bin/}, {@code lib/}, {@code share/}) under {@code root}, unpacking it if needed. */
    static synchronized Path unpack(Path root) {
        createPrivateDirectory(root);
        byte[] archive = readArchive();
        Path installation = root.resolve("pg-" + digest(archive));
        if (Files.exists(installation.resolve(COMPLETE))) {
            return installation;
        }
        Path partial = root.resolve(".unpacking-" + UUID.randomUUID());
        try {
            long started = System.nanoTime();
            extract(archive, partial);
            Files.createFile(partial.resolve(COMPLETE));
            try {
                Files.move(partial, installation, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                if (Files.exists(installation.resolve(COMPLETE))) {
                    return installation; // another process unpacked the same binaries meanwhile
                }
                // an earlier, interrupted unpack left an incomplete copy: replace it
                FileUtils.deleteDirectory(installation.toFile());
                Files.move(partial, installation, StandardCopyOption.ATOMIC_MOVE);
            }
            log.info("PostgreSQL binaries unpacked in {} ({} ms)", installation, (System.nanoTime() - started) / 1_000_000);
            return installation;
        } catch (IOException e) {
            throw new DataStoreException("Cannot unpack the PostgreSQL binaries into " + root + ": " + e.getMessage(),
                    "Make the data directory writable and check the free disk space (about 80 MB are needed).", e);
        } finally {
            FileUtils.deleteQuietly(partial.toFile());
        }
    }

    /**
     * Creates {@code dir} as 0700, or checks that an existing one belongs to this user and nobody else can
     * write to it: the server is started from here.
     */
    static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                if (isPosix(dir.getParent())) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectory(dir);
                }
            }
            if (!isPosix(dir)) {
                return;
            }
            PosixFileAttributes attributes = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
            String me = System.getProperty("user.name");
            if (!attributes.isDirectory() || !attributes.owner().getName().equals(me)) {
                throw new DataStoreException(dir + " is not a directory owned by " + me + ".",
                        "Remove it (Tandem recreates it, private to this user), or point tandem.embedded-db.binaries at another directory.");
            }
            if (!attributes.permissions().equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
                log.warn("{} was open to other users ({}); it is now private to this user",
                        dir, PosixFilePermissions.toString(attributes.permissions()));
            }
        } catch (IOException e) {
            throw new DataStoreException("Cannot create the private directory " + dir + ": " + e.getMessage(),
                    "Make the data directory writable by this user, or point tandem.data-dir elsewhere.", e);
        }
    }

    private static boolean isPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    private static byte[] readArchive() {
        String system = SystemUtils.IS_OS_MAC_OSX ? "Darwin" : SystemUtils.IS_OS_WINDOWS ? "Windows" : "Linux";
        String hardware = "amd64".equals(SystemUtils.OS_ARCH) ? "x86_64" : SystemUtils.OS_ARCH;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, hardware)) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new DataStoreException("This build has no embedded PostgreSQL for " + system + " " + hardware + ": " + e.getMessage(),
                    "Use an external PostgreSQL server with SPRING_DATASOURCE_URL (see the README).", e);
        }
    }

    private static String digest(byte[] archive) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void extract(byte[] archive, Path target) throws IOException {
        Files.createDirectory(target, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        if (!extractWithTar(archive, target)) {
            FileUtils.cleanDirectory(target.toFile());
            extractInJava(archive, target);
        }
    }

    /** The system's tar with its native xz is several times faster than unpacking in Java; used when present. */
    private static boolean extractWithTar(byte[] archive, Path target) {
        try {
            Process tar = new ProcessBuilder("tar", "--no-same-owner", "-xJf", "-", "-C", target.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (var stdin = tar.getOutputStream()) {
                stdin.write(archive);
            }
            if (!tar.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
                tar.destroyForcibly();
                return false;
            }
            if (tar.exitValue() != 0) {
                return false;
            }
            closeToOthers(target);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Removes group and other write from everything unpacked (tar keeps the archive's modes). */
    private static void closeToOthers(Path target) throws IOException {
        try (var paths = Files.walk(target)) {
            for (Path path : paths.toList()) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                if (permissions.removeAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE))) {
                    Files.setPosixFilePermissions(path, permissions);
                }
            }
        }
    }

    private static void extractInJava(byte[] archive, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    // the archive's modes without group/other write: executables stay executable
                    Files.setPosixFilePermissions(path, permissions(entry.getMode() & 0755));
                } else {
                    throw new IOException("unsupported archive entry " + entry.getName());
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }
}

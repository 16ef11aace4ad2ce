package io.tandem.node.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** The careful file operations the store is built on: path confinement, hashing, atomic replacement. */
final class SafeFiles {

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private SafeFiles() {
    }

    /**
     * Resolves a client-supplied relative path under the home, refusing anything that could leave it: absolute
     * paths, {@code ..} or {@code .} segments, empty segments, NUL or backslash, paths outside the scope's globs,
     * and any existing component that is a symlink (we never follow links, in or out of the home).
     * The file itself may not exist yet; if it does it must be a regular file.
     */
    static Path confine(Path home, ConfigScope.Matcher matcher, String relative) throws ConfigRefusedException {
        confine(matcher, relative, localInspector(home));
        return home.resolve(relative);
    }

    static ConfigScope.Inspector<RuntimeException> localInspector(Path home) {
        return prefix -> localKind(home.resolve(prefix));
    }

    /**
     * The one confinement rule, for any file system: the local one here, the node's over SFTP in the console.
     * {@code inspector} is asked about each component from the home down, without following links.
     */
    static <E extends Exception> void confine(ConfigScope.Matcher matcher, String relative,
            ConfigScope.Inspector<E> inspector) throws ConfigRefusedException, E {
        if (relative == null || relative.isEmpty() || relative.length() > 4096 || relative.startsWith("/")
                || relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) {
            throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, printable(relative),
                    "not a relative path inside the NFO home");
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, printable(relative),
                        "empty, '.' or '..' segment");
            }
        }
        if (!matcher.matches(relative)) {
            throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, relative,
                    "not one of the configuration files (include/exclude globs)");
        }
        String[] segments = relative.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(segments[i]);
            ConfigScope.Kind kind = inspector.lstat(prefix.toString());
            if (kind == ConfigScope.Kind.SYMLINK) {
                throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, relative,
                        "a symbolic link is on the way (" + prefix + "); links are never followed");
            }
            boolean last = i == segments.length - 1;
            if (!last && kind != ConfigScope.Kind.MISSING && kind != ConfigScope.Kind.DIRECTORY) {
                throw new ConfigRefusedException(ConfigRefusal.NOT_A_REGULAR_FILE, relative,
                        prefix + " is not a directory");
            }
            if (last && kind != ConfigScope.Kind.MISSING && kind != ConfigScope.Kind.REGULAR_FILE) {
                throw new ConfigRefusedException(ConfigRefusal.NOT_A_REGULAR_FILE, relative, "not a regular file");
            }
        }
    }

    /** As {@link Files#exists} does, a path whose attributes cannot be read counts as missing. */
    private static ConfigScope.Kind localKind(Path path) {
        try {
            java.nio.file.attribute.BasicFileAttributes attrs = Files.readAttributes(path,
                    java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW);
            return attrs.isSymbolicLink() ? ConfigScope.Kind.SYMLINK
                    : attrs.isDirectory() ? ConfigScope.Kind.DIRECTORY
                    : attrs.isRegularFile() ? ConfigScope.Kind.REGULAR_FILE
                    : ConfigScope.Kind.OTHER;
        } catch (IOException e) {
            return ConfigScope.Kind.MISSING;
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file, NOFOLLOW)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String mode(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 = 0400
        }
        return String.format("%04o", bits);
    }

    static Set<PosixFilePermission> permissions(String mode) {
        int bits = Integer.parseInt(mode, 8);
        Set<PosixFilePermission> permissions = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((bits & 1 << (8 - p.ordinal())) != 0) {
                permissions.add(p);
            }
        }
        return permissions;
    }

    static PosixFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW);
    }

    /**
     * Replaces {@code target} with {@code source}'s bytes so that a reader sees the old or the new file, never a
     * mix, and the new one survives a crash: temp file in the target's directory, fsync, mode and owner, atomic
     * rename, fsync of the directory. Missing parent directories are created (and left behind on rollback).
     */
    static void replace(Path target, Path source, String mode, String owner, String group) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ConfigScope.TEMP_MARKER + UUID.randomUUID() + ".tmp");
        try {
            try (InputStream in = Files.newInputStream(source, NOFOLLOW);
                    FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                in.transferTo(out);
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, permissions(mode));
            own(temp, owner, group);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(dir);
    }

    static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            fsyncDirectory(target.getParent());
        }
    }

    /** Copies a file for a backup or the staging area: new file only, flushed to disk. */
    static void copyDurably(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = Files.newInputStream(source, NOFOLLOW);
                FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
            in.transferTo(java.nio.channels.Channels.newOutputStream(channel));
            channel.force(true);
        }
    }

    static void writeDurably(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** A new file for scratch areas (the stage): no fsync, whoever reads it back checks its hash. */
    static void write(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void own(Path file, String owner, String group) throws IOException {
        if (owner == null && group == null) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, NOFOLLOW);
        UserPrincipalLookupService lookup = file.getFileSystem().getUserPrincipalLookupService();
        if (owner != null) {
            view.setOwner(lookup.lookupPrincipalByName(owner));
        }
        if (group != null) {
            view.setGroup(lookup.lookupPrincipalByGroupName(group));
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, NOFOLLOW)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort for scratch areas; what remains is named by the next stage's ALREADY_EXISTS.
        }
    }

    static boolean exists(Path path) {
        return Files.exists(path, NOFOLLOW);
    }

    static void createDirectory(Path dir, String what) throws ConfigRefusedException, IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigRefusedException(ConfigRefusal.ALREADY_EXISTS, null, what + " already exists", e);
        } catch (NoSuchFileException e) {
            throw new IOException("parent of " + dir + " is missing", e);
        }
    }

    static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        String shown = text.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
    }
}

package io.tandem.datastore;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The passwords of the embedded server's three roles, generated at first start and kept in a 0600 file
 * beside the database directory: {@code postgres} (superuser, only for setting up roles at start),
 * {@link #OWNER} (owns the schema, runs Flyway) and {@link #CONSOLE} (what the running console uses).
 */
record DatabaseLogins(Login superuser, Login owner, Login console) {

    static final String SUPERUSER = "postgres";
    static final String OWNER = "tandem_owner";
    static final String CONSOLE = "tandem_console";

    /** Passwords are written into SQL at start (ALTER ROLE takes no parameters), so only this alphabet is accepted. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]{20,200}");
    private static final SecureRandom RANDOM = new SecureRandom();

    record Login(String user, String password) {
        @Override
        public String toString() {
            return user + ":****";
        }
    }

    static DatabaseLogins generate() {
        return new DatabaseLogins(new Login(SUPERUSER, randomPassword()), new Login(OWNER, randomPassword()),
                new Login(CONSOLE, randomPassword()));
    }

    /** The logins kept in {@code file}, or empty when there is no file (a new or an earlier-version database). */
    static Optional<DatabaseLogins> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            stored.load(in);
        } catch (IOException e) {
            throw unusable(file, e.getMessage());
        }
        return Optional.of(new DatabaseLogins(login(stored, SUPERUSER, file), login(stored, OWNER, file), login(stored, CONSOLE, file)));
    }

    /** Writes the file readable by this user only, replacing it atomically. */
    void write(Path file) {
        Properties stored = new Properties();
        stored.setProperty(SUPERUSER, superuser.password());
        stored.setProperty(OWNER, owner.password());
        stored.setProperty(CONSOLE, console.password());
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.deleteIfExists(partial);
            if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(partial);
            }
            try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
                stored.store(out, "Passwords of the embedded PostgreSQL roles. Delete this file to have new ones set at the next start.");
            }
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataStoreException("Cannot write " + file + ": " + e.getMessage(),
                    "Make the data directory writable by this user.", e);
        }
    }

    private static Login login(Properties stored, String user, Path file) {
        String password = stored.getProperty(user, "");
        if (!SAFE.matcher(password).matches()) {
            throw unusable(file, "no usable password for " + user);
        }
        return new Login(user, password);
    }

    private static DataStoreException unusable(Path file, String why) {
        return new DataStoreException("The database password file " + file + " is unusable: " + why + ".",
                "Delete it: at the next start Tandem sets new passwords for the embedded database's roles.");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

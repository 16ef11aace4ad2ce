package io.tandem.datastore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A JVM that starts the embedded database and waits to be killed, as a console killed with -9 would
 * leave its server behind. Writes {@code ready} to the file named by its second argument once started.
 */
public final class EmbeddedDatabaseChild {

    public static void main(String[] args) throws Exception {
        Path binaries = args.length > 2 ? Path.of(args[2]) : null;
        EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]),
                new EmbeddedDatabaseProperties(0, Duration.ofSeconds(60), binaries));
        Files.writeString(Path.of(args[1]), "ready " + database.port());
        Thread.sleep(Long.MAX_VALUE);
    }
}

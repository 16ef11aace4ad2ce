package io.tandem.netflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saves and loads a template cache as versioned JSON ({@value #FILE_NAME}) in a directory. Saving is
 * atomic (temp file, fsync, rename), so a crash leaves the old or the new file; loading never throws:
 * a missing or corrupt file yields a typed result and the caller starts from an empty cache.
 */
public final class TemplateCacheStore {

    public static final String FILE_NAME = "netflow-templates.json";
    static final String FORMAT = "tandem-netflow-templates";
    static final int VERSION = 1;
    private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path directory;

    public TemplateCacheStore(Path directory) {
        this.directory = directory;
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    public void save(TemplateSnapshot snapshot) throws IOException {
        Files.createDirectories(directory);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(toFile(snapshot));
        } catch (JacksonException e) {
            throw new IOException("cannot serialise templates", e);
        }
        Path temp = Files.createTempFile(directory, FILE_NAME, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public LoadResult load() {
        byte[] bytes;
        try {
            if (Files.size(file()) > MAX_FILE_BYTES) {
                return new LoadResult.Corrupt(file(), "file larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return new LoadResult.Missing(file());
        } catch (IOException e) {
            return new LoadResult.Corrupt(file(), "unreadable: " + e.getMessage());
        }
        try {
            return new LoadResult.Loaded(fromFile(JSON.readValue(bytes, FileDto.class)));
        } catch (JacksonException e) {
            return new LoadResult.Corrupt(file(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            return new LoadResult.Corrupt(file(), "invalid content: " + e.getMessage());
        }
    }

    /** Outcome of {@link #load()}; {@link #snapshot()} is empty unless loaded. */
    public sealed interface LoadResult {
        TemplateSnapshot snapshot();

        record Loaded(TemplateSnapshot snapshot) implements LoadResult {
        }

        record Missing(Path file) implements LoadResult {
            public TemplateSnapshot snapshot() {
                return TemplateSnapshot.empty(0);
            }
        }

        record Corrupt(Path file, String reason) implements LoadResult {
            public TemplateSnapshot snapshot() {
                return TemplateSnapshot.empty(0);
            }
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can fsync a directory; the rename itself is still atomic.
        }
    }

    private static FileDto toFile(TemplateSnapshot s) {
        return new FileDto(FORMAT, VERSION, s.takenAtMillis(), s.templates().stream().map(t -> new TemplateDto(
                t.key().exporter().toString(), t.key().domain(), t.key().templateId(), t.kind().name(),
                t.definition().scopeFieldCount(),
                t.definition().fields().stream().map(f -> new FieldDto(f.id(), f.enterprise(), f.length())).toList(),
                t.firstSeenMillis(), t.lastSeenMillis(), t.refreshCount(), t.refreshIntervalMillis(),
                t.dataRecords(), t.lastDataMillis())).toList());
    }

    private static TemplateSnapshot fromFile(FileDto f) {
        if (!FORMAT.equals(f.format()) || f.version() != VERSION) {
            throw new IllegalArgumentException("unknown format " + f.format() + " version " + f.version());
        }
        List<CachedTemplate> templates = f.templates().stream().map(t -> new CachedTemplate(
                new TemplateKey(Exporter.parse(t.exporter()), t.domain(), t.templateId()),
                new TemplateDefinition(TemplateKind.valueOf(t.kind()), t.scopeFieldCount(),
                        t.fields().stream().map(x -> new TemplateField(x.id(), x.enterprise(), x.length())).toList()),
                t.firstSeen(), t.lastSeen(), t.refreshCount(), t.refreshIntervalMillis(), t.dataRecords(),
                t.lastData(), 0)).toList();
        if (templates.stream().map(CachedTemplate::key).distinct().count() != templates.size()) {
            throw new IllegalArgumentException("duplicate template keys");
        }
        return new TemplateSnapshot(f.savedAt(), templates);
    }

    record FileDto(String format, int version, long savedAt, List<TemplateDto> templates) {
    }

    record TemplateDto(String exporter, long domain, int templateId, String kind, int scopeFieldCount,
                       List<FieldDto> fields, long firstSeen, long lastSeen, long refreshCount,
                       long refreshIntervalMillis, long dataRecords, long lastData) {
    }

    record FieldDto(int id, long enterprise, int length) {
    }
}

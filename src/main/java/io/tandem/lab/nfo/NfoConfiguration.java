package io.tandem.lab.nfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The configuration a lab NFO node read at start from {@code <home>/server/etc}, like NFO: a file copied there
 * later takes effect only after a restart. The digest covers every regular file (path and content, sorted by
 * path; symbolic links are not followed), so two nodes running the same configuration report the same digest.
 *
 * @param digest hex SHA-256, or the digest of nothing when the directory is missing
 * @param settings {@code server.cfg} lines {@code KEY value} ({@code #} comments and blank lines ignored)
 */
public record NfoConfiguration(String digest, int files, Map<String, String> settings) {

    public static final String ETC = "server/etc";
    public static final String SERVER_CFG = "server.cfg";
    static final int MAX_FILES = 1000;
    static final long MAX_FILE_BYTES = 1024 * 1024;

    public NfoConfiguration {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public static Path directory(Path home) {
        return home.resolve(ETC);
    }

    /** @throws IOException when the directory cannot be read, or holds more or larger files than a configuration */
    public static NfoConfiguration read(Path home) throws IOException {
        Path etc = directory(home);
        MessageDigest digest = sha256();
        Map<String, String> settings = new LinkedHashMap<>();
        if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)) {
            return new NfoConfiguration(HexFormat.of().formatHex(digest.digest()), 0, settings);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(etc, 8, new FileVisitOption[0])) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(files::add);
        }
        if (files.size() > MAX_FILES) {
            throw new IOException(etc + " holds more than " + MAX_FILES + " files");
        }
        files.sort(null);
        for (Path file : files) {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            byte[] content = Files.readAllBytes(file);
            String relative = etc.relativize(file).toString().replace('\\', '/');
            digest.update(relative.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(sha256().digest(content));
            if (relative.equals(SERVER_CFG)) {
                settings.putAll(serverCfg(new String(content, StandardCharsets.UTF_8)));
            }
        }
        return new NfoConfiguration(HexFormat.of().formatHex(digest.digest()), files.size(), settings);
    }

    static Map<String, String> serverCfg(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] keyValue = trimmed.split("\\s+", 2);
            settings.putIfAbsent(keyValue[0], keyValue.length > 1 ? keyValue[1] : "");
        }
        return settings;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

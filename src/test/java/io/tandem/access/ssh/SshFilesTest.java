package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.node.NodeAccessException;

/** SFTP against the real file system behind a real SSH server. */
class SshFilesTest {

    @TempDir
    static Path work;

    @TempDir
    Path dir;

    static TestSshServer server;
    static SshConnections connections;
    static SshFiles files;

    @BeforeAll
    static void startServer() throws IOException {
        KeyPair client = TestKeys.RSA_3072.generate();
        server = TestSshServer.start(work, client.getPublic());
        connections = new SshConnections(SshSettings.defaults());
        files = connections.files(new SshTarget("127.0.0.1", server.port(), TestSshServer.USER,
                TestKeys.pkcs8Pem(client), null, TestKeys.fingerprint(server.hostKey()), false));
    }

    @AfterAll
    static void stopServer() throws IOException {
        connections.close();
        server.close();
    }

    @Test
    void readsAFileByteForByte() throws Exception {
        byte[] content = new byte[100_000];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("nfo.yml"), content);

        assertThat(files.read(file.toString(), content.length)).isEqualTo(content);
    }

    @Test
    void refusesToReadMoreThanAllowed() throws Exception {
        Path file = Files.writeString(dir.resolve("big.log"), "x".repeat(2000));

        assertThatThrownBy(() -> files.read(file.toString(), 1999))
                .isInstanceOf(NodeAccessException.BadAnswer.class)
                .hasMessageContaining("2000 bytes")
                .hasMessageContaining("1999 bytes allowed");
        assertThat(files.read(file.toString(), 2000)).hasSize(2000);
    }

    @Test
    void missingFileIsRefusedAsNoSuchFile() {
        assertThatThrownBy(() -> files.read(dir.resolve("absent").toString(), 100))
                .isInstanceOfSatisfying(NodeAccessException.RequestRefused.class,
                        refused -> assertThat(refused.type()).isEqualTo("SSH_FX_NO_SUCH_FILE"));
    }

    @Test
    void directoryIsNotReadAsAFile() {
        assertThatThrownBy(() -> files.read(dir.toString(), 100)).isInstanceOf(NodeAccessException.BadAnswer.class);
    }

    @Test
    void writesANewFileWithItsMode() throws Exception {
        Path file = dir.resolve("new.conf");

        files.write(file.toString(), "hello\n".getBytes(StandardCharsets.UTF_8), 0640);

        assertThat(Files.readString(file)).isEqualTo("hello\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void replacesAnExistingFileByRenameLeavingNoTemporaryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("nfo.conf"), "old content\n");
        Object inodeBefore = Files.getAttribute(file, "unix:ino");

        files.write(file.toString(), "new content\n".getBytes(StandardCharsets.UTF_8), 0644);

        assertThat(Files.readString(file)).isEqualTo("new content\n");
        // A new inode proves the content was swapped in by rename, not rewritten in place.
        assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(inodeBefore);
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("nfo.conf");
        }
    }

    @Test
    void failedReplaceLeavesWhatWasThereAndNoTemporaryFile() throws Exception {
        // Renaming a file over a non-empty directory fails on every POSIX system, root or not.
        Path occupied = Files.createDirectory(dir.resolve("nfo.conf"));
        Files.writeString(occupied.resolve("inside"), "kept");

        assertThatThrownBy(() -> files.write(occupied.toString(), "new\n".getBytes(StandardCharsets.UTF_8), 0644))
                .isInstanceOf(NodeAccessException.class);

        assertThat(Files.readString(occupied.resolve("inside"))).isEqualTo("kept");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("nfo.conf");
        }
    }

    @Test
    void writeIntoAMissingDirectoryIsRefused() {
        assertThatThrownBy(() -> files.write(dir.resolve("nope/nfo.conf").toString(), new byte[] {1}, 0644))
                .isInstanceOf(NodeAccessException.RequestRefused.class);
    }

    @Test
    void statDescribesFilesAndDirectoriesAndMissingPaths() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "12345");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        RemoteFile described = files.stat(file.toString()).orElseThrow();
        assertThat(described.kind()).isEqualTo(RemoteFile.Kind.FILE);
        assertThat(described.size()).isEqualTo(5);
        assertThat(described.permissions()).isEqualTo(0644);
        assertThat(described.modified()).isEqualTo(Files.getLastModifiedTime(file).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        assertThat(files.stat(dir.toString()).orElseThrow().kind()).isEqualTo(RemoteFile.Kind.DIRECTORY);
        assertThat(files.stat(dir.resolve("absent").toString())).isEmpty();
    }

    @Test
    void listsADirectory() throws Exception {
        Files.writeString(dir.resolve("one"), "1");
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("one"));

        assertThat(files.list(dir.toString()))
                .extracting(RemoteFile::path, RemoteFile::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(dir + "/one", RemoteFile.Kind.FILE),
                        org.assertj.core.groups.Tuple.tuple(dir + "/sub", RemoteFile.Kind.DIRECTORY),
                        org.assertj.core.groups.Tuple.tuple(dir + "/link", RemoteFile.Kind.SYMLINK));
    }

    @Test
    void relativePathsAreRejectedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> files.read("etc/passwd", 10)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.tandem.drbd;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Damaged DRBD output fed to every reader must end in a status or a typed error, never in an unchecked exception:
 * the monitor polls these formats from machines that may be half-way through writing them.
 */
class DrbdRobustnessTest {

    private static final int MUTANTS_PER_FILE = 25;

    private interface Reader {
        DrbdStatus read(String text) throws DrbdParseException;
    }

    private static final List<Reader> READERS = List.of(DrbdParser::statusJson, DrbdParser::statusText,
            DrbdParser::events2, DrbdParser::procDrbd);

    @Test
    void damagedCorpusFilesNeverThrowUncheckedExceptions() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SharedCorpus.root().resolve("drbd"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSizeGreaterThan(80);
        Random random = new Random(20261125);
        for (Path file : files) {
            String original = Files.readString(file, StandardCharsets.UTF_8);
            for (int i = 0; i < MUTANTS_PER_FILE; i++) {
                String mutant = mutate(original, random);
                for (Reader reader : READERS) {
                    readSafely(reader, mutant, file);
                }
            }
        }
    }

    @Test
    void liveViewSurvivesDamagedLines() throws Exception {
        DrbdEvents2 view = new DrbdEvents2();
        Random random = new Random(7);
        String transcript = SharedCorpus.read("drbd/events2/events2-sync--statistics.txt");
        for (int i = 0; i < 500; i++) {
            for (String line : mutate(transcript, random).split("\n")) {
                try {
                    view.apply(line);
                } catch (DrbdParseException expected) {
                    // a typed refusal of one line is correct
                } catch (RuntimeException e) {
                    fail("events2 view threw " + e + " on line: " + line);
                }
            }
        }
        assertThat(view.snapshot()).isNotNull();
    }

    private static void readSafely(Reader reader, String text, Path file) {
        try {
            reader.read(text);
        } catch (DrbdParseException expected) {
            // typed refusal is a correct outcome
        } catch (RuntimeException | StackOverflowError e) {
            fail("DRBD reader threw " + e + " on a mutant of " + file.getFileName());
        }
    }

    private static String mutate(String text, Random random) {
        int at = random.nextInt(Math.max(1, text.length()));
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + (char) (random.nextInt(95) + 32) + text.substring(Math.min(text.length(), at + 1));
            default -> text.substring(0, at) + text.substring(at / 2);
        };
    }
}

package io.tandem.pacemaker;

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
 * Damaged input (truncated captures, flipped characters) must end in a result or a typed error, never in an
 * unchecked exception that would take down the agent's request or the monitor's poller.
 */
class PacemakerRobustnessTest {

    private static final int MUTANTS_PER_FILE = 25;

    @Test
    void damagedCorpusDocumentsNeverThrowUncheckedExceptions() throws IOException {
        Path root = SharedCorpus.root();
        List<Path> documents;
        try (Stream<Path> walk = Stream.concat(Files.walk(root.resolve("pacemaker")), Files.walk(root.resolve("pcs")))) {
            documents = walk.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(documents).hasSizeGreaterThan(90);
        Random random = new Random(20261125);
        int attempts = 0;
        for (Path document : documents) {
            String original = Files.readString(document, StandardCharsets.UTF_8);
            for (int i = 0; i < MUTANTS_PER_FILE; i++) {
                String mutant = mutate(original, random);
                parseBoth(document, mutant);
                attempts++;
            }
        }
        assertThat(attempts).isEqualTo(documents.size() * MUTANTS_PER_FILE);
    }

    private static void parseBoth(Path document, String mutant) {
        try {
            CrmMonParser.parse(mutant);
        } catch (PacemakerParseException expected) {
            // typed refusal is a correct outcome
        } catch (RuntimeException | StackOverflowError e) {
            fail("crm_mon parser threw " + e + " on a mutant of " + document.getFileName());
        }
        try {
            CibParser.parse(mutant);
        } catch (PacemakerParseException expected) {
            // typed refusal is a correct outcome
        } catch (RuntimeException | StackOverflowError e) {
            fail("CIB parser threw " + e + " on a mutant of " + document.getFileName());
        }
    }

    /** Truncation, a flipped character, or a duplicated slice: the damage real captures show. */
    private static String mutate(String text, Random random) {
        int at = random.nextInt(Math.max(1, text.length()));
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + (char) (random.nextInt(95) + 32) + text.substring(Math.min(text.length(), at + 1));
            default -> text.substring(0, at) + text.substring(at / 2);
        };
    }
}

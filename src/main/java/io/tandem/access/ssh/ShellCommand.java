package io.tandem.access.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns an argument vector into the one string an SSH exec request carries. The remote login shell
 * parses that string, so every argument is single-quoted: inside single quotes a POSIX shell expands
 * nothing, and a quote itself is written as {@code '\''} (close, escaped quote, reopen).
 */
final class ShellCommand {

    private static final List<String> SUDO = List.of("sudo", "-n", "--");

    private ShellCommand() {
    }

    /**
     * @param sudo prefix {@code sudo -n --}: -n fails at once instead of waiting for a password
     *        prompt nobody will answer, -- stops sudo from reading the program name as an option
     */
    static String of(List<String> argv, boolean sudo) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        List<String> words = new ArrayList<>(argv.size() + SUDO.size());
        if (sudo) {
            words.addAll(SUDO);
        }
        words.addAll(argv);
        return words.stream().map(ShellCommand::quote).collect(Collectors.joining(" "));
    }

    static String quote(String argument) {
        if (argument == null) {
            throw new IllegalArgumentException("an argument is null");
        }
        // A NUL cannot travel in an argv; the shell would silently cut the argument there.
        if (argument.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an argument contains a NUL character");
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}

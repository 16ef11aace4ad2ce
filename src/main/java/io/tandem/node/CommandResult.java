package io.tandem.node;

/**
 * What a tool printed and how it ended.
 *
 * @param truncated true when the output exceeded the runner's cap and was cut
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean truncated) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The first line of stderr, else of stdout: what an operator needs to see of a failure. */
    public String firstErrorLine() {
        String text = stderr == null || stderr.isBlank() ? stdout : stderr;
        if (text == null) {
            return "";
        }
        return text.strip().lines().findFirst().orElse("");
    }
}

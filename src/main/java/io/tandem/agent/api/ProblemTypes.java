package io.tandem.agent.api;

/** The problem slug of an HTTP status, for errors that carry nothing more specific. */
final class ProblemTypes {

    private ProblemTypes() {
    }

    static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal-error" : "bad-request";
        };
    }
}

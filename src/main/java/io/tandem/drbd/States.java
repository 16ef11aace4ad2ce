package io.tandem.drbd;

import java.util.Locale;

/**
 * Maps DRBD's state words ({@code UpToDate}, {@code StandAlone}, {@code PausedSyncS}) onto enum constants by
 * comparing letters and digits only, so {@code UP_TO_DATE} matches without a hand-kept table per enum.
 */
final class States {

    private States() {
    }

    static <E extends Enum<E>> E lookup(Class<E> type, String text, E fallback) {
        if (text == null) {
            return fallback;
        }
        String key = normalise(text);
        for (E constant : type.getEnumConstants()) {
            if (normalise(constant.name()).equals(key)) {
                return constant;
            }
        }
        return fallback;
    }

    private static String normalise(String text) {
        StringBuilder letters = new StringBuilder(text.length());
        text.chars().filter(Character::isLetterOrDigit).forEach(c -> letters.append((char) c));
        return letters.toString().toLowerCase(Locale.ROOT);
    }
}

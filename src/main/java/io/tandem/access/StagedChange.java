package io.tandem.access;

import java.util.List;

/**
 * A change uploaded to a node and verified there (each file's SHA-256 as the node computed it matched the expected
 * one), waiting for {@link NodeAccess#commit}.
 *
 * @param staged the staged paths, relative to the NFO home, sorted
 */
public record StagedChange(String changeId, List<String> staged) {

    public StagedChange {
        staged = List.copyOf(staged);
    }
}

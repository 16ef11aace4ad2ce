package io.tandem.access.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@code cap} bytes of a stream and drops the rest while still consuming it, so a
 * chatty or hostile command can neither exhaust memory nor stall on a full channel window.
 */
final class CappedOutput extends OutputStream {

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int cap;
    private volatile boolean truncated;

    CappedOutput(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int room = cap - kept.size();
        if (length > room) {
            truncated = true;
        }
        int take = Math.min(room, length);
        if (take > 0) {
            kept.write(bytes, offset, take);
        }
    }

    boolean truncated() {
        return truncated;
    }

    /** The kept bytes as UTF-8; anything that is not valid UTF-8 becomes U+FFFD instead of failing. */
    synchronized String text() {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(kept.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException impossibleWithReplace) {
            throw new IllegalStateException(impossibleWithReplace);
        }
    }
}

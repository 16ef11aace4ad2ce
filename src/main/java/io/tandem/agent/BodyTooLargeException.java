package io.tandem.agent;

import java.io.IOException;
import java.io.Serial;

/** A request body (sent without a Content-Length) grew past {@code limits.max-upload-bytes} while being read. */
public final class BodyTooLargeException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}

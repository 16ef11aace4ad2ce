package io.tandem.agent.api;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.tandem.agent.AgentEvents;
import io.tandem.agent.BodyTooLargeException;
import io.tandem.agent.wire.AgentProtocol;

/**
 * Every error a handler raises becomes problem+json with an agent problem type. Unexpected failures say only
 * that something failed; the cause goes to the agent's log, never to the caller.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(AgentEvents.TooManySubscribers.class)
    ResponseEntity<ProblemDetail> tooManySubscribers(AgentEvents.TooManySubscribers e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "too-many-subscribers", e.getMessage());
    }

    /** Closing spares Tomcat swallowing the rest of a body nobody will read. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .body(detail(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("request failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "The agent failed; its log has the cause.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) { // Jackson wraps what the body stream threw
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                        .body(detail(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", tooLarge.getMessage()));
            }
        }
        // Spring's own detail names no classes ("Failed to read request"); Jackson's message may, so it stays out.
        return super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    /** Spring's own problems (404, 405, 415, ...) keep their text and get our type instead of about:blank. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            problem.setType(URI.create(AgentProtocol.problemType(ProblemTypes.slug(statusCode.value()))));
        }
        return response;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String slug, String detail) {
        return ResponseEntity.status(status).body(detail(status, slug, detail));
    }

    private static ProblemDetail detail(HttpStatus status, String slug, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(AgentProtocol.problemType(slug)));
        return problem;
    }
}

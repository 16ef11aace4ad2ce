package io.tandem.console;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigRefusedException;

/**
 * problem+json for the REST API, with a stable {@code type} per error
 * ({@code urn:tandem:problem:<slug>}) and, for invalid input, the list of fields at fault.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

    static final String TYPE_PREFIX = "urn:tandem:problem:";

    @ExceptionHandler(Rejected.class)
    ProblemDetail rejected(Rejected rejected) {
        HttpStatus status = switch (rejected.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
        };
        ProblemDetail problem = problem(status, rejected.type(), rejected.getMessage());
        if (!rejected.violations().isEmpty()) {
            problem.setProperty("errors", rejected.violations().stream()
                    .map(v -> Map.of("field", v.field() == null ? "" : v.field(), "message", v.message())).toList());
        }
        return problem;
    }

    /** The node could not be asked (or refused): the console is a gateway here, so 502/504 name the cause. */
    @ExceptionHandler(NodeAccessException.class)
    ProblemDetail nodeFailed(NodeAccessException e) {
        HttpStatus status = e instanceof NodeAccessException.TimedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
        ProblemDetail problem = problem(status, "node-" + e.reason().replace(' ', '-'), e.getMessage());
        problem.setProperty("reason", e.reason());
        return problem;
    }

    /** The node's configuration rules refused a path or change; nothing was read or changed. */
    @ExceptionHandler(ConfigRefusedException.class)
    ProblemDetail configRefused(ConfigRefusedException e) {
        HttpStatus status = switch (e.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case OUTSIDE_ROOTS -> HttpStatus.FORBIDDEN;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case ALREADY_EXISTS, BUSY -> HttpStatus.CONFLICT;
            case APPLY_FAILED, RESTORE_INCOMPLETE, IO_ERROR -> HttpStatus.BAD_GATEWAY;
            case NOT_A_REGULAR_FILE, HASH_MISMATCH, INVALID_REQUEST -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        ProblemDetail problem = problem(status, "config-" + e.reason().name().toLowerCase().replace('_', '-'), e.getMessage());
        if (e.path() != null) {
            problem.setProperty("path", e.path());
        }
        return problem;
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ProblemDetail concurrentChange(ObjectOptimisticLockingFailureException e) {
        return problem(HttpStatus.CONFLICT, "stale-version",
                "Someone else changed this at the same moment. Read it again and retry.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "'" + e.getName() + "' has an unusable value" + (e.getRequiredType() == null ? "."
                        : "; expected " + e.getRequiredType().getSimpleName() + "."));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "unreadable-body", unreadable(ex)));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-input", "Some fields need attention.");
        problem.setProperty("errors", ex.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()))).toList());
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(URI.create(TYPE_PREFIX + slug(statusCode)));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        return problem;
    }

    static String slug(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }

    /**
     * Says which field was wrong, never Jackson's own message: it names the console's classes
     * ({@code io.tandem.fleet.ClusterSpec}) and Java types, which mean nothing to a caller.
     */
    private static String unreadable(HttpMessageNotReadableException ex) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof tools.jackson.core.exc.StreamReadException syntax) {
                tools.jackson.core.TokenStreamLocation at = syntax.getLocation();
                return "The request body is not valid JSON" + (at == null || at.getLineNr() < 0 ? "."
                        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ").");
            }
            if (cause instanceof tools.jackson.core.JacksonException json && !json.getPath().isEmpty()) {
                return "'" + field(json.getPath()) + "' has a value of the wrong type or shape.";
            }
        }
        return "The request body is missing or is not a JSON object of the expected shape.";
    }

    /** {@code nodes[1].address}, from Jackson's path of property names and indexes. */
    private static String field(List<tools.jackson.core.JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (tools.jackson.core.JacksonException.Reference step : path) {
            if (step.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(step.getPropertyName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "(the body)" : field.toString();
    }

}

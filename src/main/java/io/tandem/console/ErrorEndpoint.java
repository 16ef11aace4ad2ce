package io.tandem.console;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The servlet error page, for errors no controller advice answered: a 405 or 404 (no handler matched), a request the
 * security firewall rejected, a filter's {@code sendError}, an exception outside MVC. The REST API gets problem+json
 * with the type of the status ({@code urn:tandem:problem:method-not-allowed}, ...); pages get the error page. Neither
 * says more than the status: the cause, if any, is in the log.
 */
@Controller
class ErrorEndpoint implements ErrorController {

    @RequestMapping("/error")
    Object error(HttpServletRequest request, HttpServletResponse response) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly rather than dispatched by the container: there is no such page.
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.NOT_FOUND;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String text ? text : request.getRequestURI();
        if (path.startsWith("/api/") || path.startsWith("/actuator/")) {
            ProblemDetail problem = ApiProblems.problem(status, ApiProblems.slug(status), detail(status));
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("message", status.is5xxServerError() ? null : detail(status));
        return page;
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request is malformed (for example a path with characters this server refuses).";
            case METHOD_NOT_ALLOWED -> "This address does not accept that HTTP method.";
            case NOT_FOUND -> "There is nothing at this address.";
            case UNAUTHORIZED -> "Sign in, or send an API token.";
            case FORBIDDEN -> "Your role does not allow this.";
            default -> status.is5xxServerError() ? "The console failed; its log has the cause." : status.getReasonPhrase() + ".";
        };
    }
}

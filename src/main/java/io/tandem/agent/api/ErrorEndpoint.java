package io.tandem.agent.api;

import java.net.URI;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import io.tandem.agent.wire.AgentProtocol;

/**
 * Tomcat's error page: errors raised outside Spring MVC (a malformed request, a filter's sendError) are
 * answered as problem+json too, never as an HTML page naming the server.
 */
@RestController
class ErrorEndpoint implements ErrorController {

    @RequestMapping(path = "/error", produces = MediaType.APPLICATION_PROBLEM_JSON_VALUE)
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Requested directly rather than dispatched by Tomcat: there is no such resource.
        int status = code instanceof Integer value ? value : 404;
        HttpStatus resolved = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(resolved == null ? HttpStatus.INTERNAL_SERVER_ERROR : resolved,
                resolved == null ? "Request failed." : resolved.getReasonPhrase());
        problem.setType(URI.create(AgentProtocol.problemType(ProblemTypes.slug(status))));
        problem.setInstance(URI.create("/error"));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

package io.tandem.agent;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every request must carry {@code Authorization: Bearer <token>}; nothing on the agent is public, not even
 * a 404. The token's id is left on the request for the audit log.
 */
final class TokenFilter extends OncePerRequestFilter {

    static final String TOKEN_ID = TokenFilter.class.getName() + ".tokenId";
    private static final String BEARER = "Bearer ";

    private final AccessToken token;

    TokenFilter(AccessToken token) {
        this.token = token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            ProblemWriter.write(request, response, HttpServletResponse.SC_UNAUTHORIZED, "unauthenticated",
                    "Authentication required", "Send 'Authorization: Bearer <token>' with the token 'agent init' printed.");
            return;
        }
        if (!token.matches(header.substring(BEARER.length()).strip())) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            ProblemWriter.write(request, response, HttpServletResponse.SC_UNAUTHORIZED, "invalid-token",
                    "Invalid token", "The bearer token is not this agent's token.");
            return;
        }
        request.setAttribute(TOKEN_ID, token.id());
        chain.doFilter(request, response);
    }
}

package io.tandem.identity;

import java.io.IOException;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Until a user with a temporary password has chosen a new one, every page leads to the change form. */
class MustChangePasswordFilter extends OncePerRequestFilter {

    static final String CHANGE_PAGE = "/account/password";
    private static final Set<String> ALLOWED = Set.of(CHANGE_PAGE, "/logout", "/login", "/error");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof TandemUser user
                && user.mustChangePassword() && !allowed(request.getRequestURI())) {
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", CHANGE_PAGE);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            } else {
                response.sendRedirect(request.getContextPath() + CHANGE_PAGE);
            }
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean allowed(String uri) {
        return ALLOWED.contains(uri) || uri.startsWith("/css/") || uri.startsWith("/webjars/") || uri.startsWith("/js/");
    }
}

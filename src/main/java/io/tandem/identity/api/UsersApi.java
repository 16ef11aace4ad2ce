package io.tandem.identity.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.identity.Role;
import io.tandem.identity.TokenService;
import io.tandem.identity.TokenService.TokenView;
import io.tandem.identity.UserAdministration;
import io.tandem.identity.UserAdministration.IssuedPassword;
import io.tandem.identity.UserAdministration.UserView;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "User administration (ADMIN)")
class UsersApi {

    private final UserAdministration users;
    private final TokenService tokens;

    UsersApi(UserAdministration users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /** A new user; without a password one is generated and returned once. */
    record NewUser(String username, Role role, String password) {
    }

    record UserChange(Role role, Boolean enabled) {
    }

    record PasswordReset(String password) {
    }

    /** {@code password} is present only when Tandem generated it; it is shown this once. */
    record CreatedUser(UserView user, String password) {
        static CreatedUser of(IssuedPassword issued, boolean generated) {
            return new CreatedUser(issued.user(), generated ? issued.password() : null);
        }
    }

    @GetMapping
    @Operation(summary = "All users")
    List<UserView> list() {
        return users.list();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One user")
    UserView get(@PathVariable UUID id) {
        return users.get(id);
    }

    @PostMapping
    @Operation(summary = "Create a user; the user must change the password at first login")
    ResponseEntity<CreatedUser> create(@RequestBody NewUser body) {
        IssuedPassword issued = users.create(body.username(), body.role(), body.password());
        return ResponseEntity.created(URI.create("/api/v1/users/" + issued.user().id()))
                .body(CreatedUser.of(issued, body.password() == null || body.password().isEmpty()));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Set a user's role or enable/disable it; their browser sessions end and a new role or disabling revokes their tokens")
    UserView update(@PathVariable UUID id, @RequestBody UserChange body) {
        return users.update(id, body.role(), body.enabled());
    }

    @PostMapping("/{id}/password")
    @Operation(summary = "Reset a user's password (generated when none is given); it must be changed at next login; their tokens are revoked")
    CreatedUser resetPassword(@PathVariable UUID id, @RequestBody(required = false) PasswordReset body) {
        String password = body == null ? null : body.password();
        return CreatedUser.of(users.resetPassword(id, password), password == null || password.isEmpty());
    }

    @GetMapping("/{id}/tokens")
    @Operation(summary = "A user's API tokens, newest first (never the secrets)")
    List<TokenView> tokens(@PathVariable UUID id) {
        users.get(id); // 404 for an unknown user rather than an empty list
        return tokens.listFor(id);
    }

    @DeleteMapping("/{id}/tokens/{tokenId}")
    @Operation(summary = "Revoke a user's token, and every token minted with it")
    ResponseEntity<Void> revokeToken(@PathVariable UUID id, @PathVariable UUID tokenId) {
        tokens.revoke(id, tokenId);
        return ResponseEntity.noContent().build();
    }
}

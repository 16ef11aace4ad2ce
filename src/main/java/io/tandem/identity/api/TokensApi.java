package io.tandem.identity.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.identity.ApiTokenAuthentication;
import io.tandem.identity.TandemUser;
import io.tandem.identity.TokenService;
import io.tandem.identity.TokenService.MintedToken;
import io.tandem.identity.TokenService.TokenView;

@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "Tokens", description = "Your personal API tokens. POST also accepts HTTP Basic, so a script can mint its first token.")
class TokensApi {

    private final TokenService tokens;

    TokensApi(TokenService tokens) {
        this.tokens = tokens;
    }

    record NewToken(String name, Integer expiresInDays) {
    }

    @GetMapping
    @Operation(summary = "Your tokens, newest first (never the secrets)")
    List<TokenView> list(@AuthenticationPrincipal TandemUser user) {
        return tokens.listFor(user.id());
    }

    @PostMapping
    @Operation(summary = "Mint a token; the secret is in this response and nowhere else",
            description = "With HTTP Basic the token lives up to the longest lifetime allowed. Minted with a bearer token, "
                    + "it expires no later than that token and is revoked with it.")
    ResponseEntity<MintedToken> mint(@AuthenticationPrincipal TandemUser user, Authentication authentication,
                                     @RequestBody NewToken body) {
        if (user.mustChangePassword()) {
            throw new Rejected(Rejected.Kind.FORBIDDEN, "password-change-required", List.of(),
                    "This account still has its temporary password: log in to the console and change it first.");
        }
        // with Basic the password was proven; with a token the new one is bound to it
        UUID parent = authentication instanceof ApiTokenAuthentication token ? token.tokenId() : null;
        MintedToken minted = tokens.mint(user.id(), body.name(), body.expiresInDays(), parent);
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + minted.id())).body(minted);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke one of your tokens, and every token minted with it; they stop working at once")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal TandemUser user, @PathVariable UUID id) {
        tokens.revoke(user.id(), id);
        return ResponseEntity.noContent().build();
    }
}

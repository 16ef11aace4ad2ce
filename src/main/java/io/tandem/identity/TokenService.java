package io.tandem.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;

/** Personal API tokens: minted once, stored hashed, checked on every API request. */
@Service
public class TokenService {

    static final String PREFIX = "tandem_";
    /** Writing last-used on every request would turn reads into writes; a minute is precise enough. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /**
     * How long a token found good is believed without asking the database again. Revocations through this console
     * apply at once; a change made elsewhere (another console on the same database, SQL) applies within this time.
     */
    static final Duration CHECK_AGAIN = Duration.ofSeconds(5);
    /** Tokens remembered at most; past this the memory starts over. */
    private static final int MAX_REMEMBERED = 10_000;

    private final ApiTokens tokens;
    private final UserAccounts accounts;
    private final AuditLog audit;
    private final IdentityProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final TransactionTemplate transactions;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private final AtomicLong revocations = new AtomicLong();

    TokenService(ApiTokens tokens, UserAccounts accounts, AuditLog audit, IdentityProperties properties, Clock clock,
                 PlatformTransactionManager transactionManager) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public record TokenView(UUID id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                            Instant revokedAt, boolean usable, UUID parentId) {
    }

    /** The secret is in here and nowhere else, ever. */
    public record MintedToken(UUID id, String name, String token, Instant expiresAt) {
    }

    /** Minted by a user who proved the password (form login or HTTP Basic). */
    @Transactional
    public MintedToken mint(UUID userId, String name, Integer expiresInDays) {
        return mint(userId, name, expiresInDays, null);
    }

    /**
     * Minted with another token ({@code parentTokenId}) or, when that is null, with the password. A
     * token minted with a token expires no later than its parent and is revoked with it, so a
     * stolen token can never be turned into a longer-lived one.
     */
    @Transactional
    public MintedToken mint(UUID userId, String name, Integer expiresInDays, UUID parentTokenId) {
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > 100) {
            throw Rejected.invalid("invalid-token-name", "name", "Give the token a name of 1 to 100 characters.");
        }
        int days = expiresInDays == null ? 90 : expiresInDays;
        if (days < 1 || days > properties.maxTokenDays()) {
            throw Rejected.invalid("invalid-token-expiry", "expiresInDays",
                    "A token expires in 1 to " + properties.maxTokenDays() + " days.");
        }
        UserAccount owner = accounts.findById(userId).orElseThrow(() -> Rejected.notFound("User", userId));
        Instant now = clock.instant();
        Instant expiresAt = now.plus(Duration.ofDays(days));
        if (parentTokenId != null) {
            ApiToken parent = tokens.lockById(parentTokenId)
                    .filter(t -> t.userId().equals(userId) && t.usableAt(now))
                    .orElseThrow(() -> new Rejected(Rejected.Kind.FORBIDDEN, "invalid-token", List.of(),
                            "The token this request came with is revoked or expired."));
            if (parent.expiresAt().isBefore(expiresAt)) {
                expiresAt = parent.expiresAt();
            }
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken saved = tokens.save(new ApiToken(userId, parentTokenId, label, hash(token), now, expiresAt));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tokenId", saved.id().toString());
        details.put("expiresAt", saved.expiresAt().toString());
        if (parentTokenId != null) {
            details.put("parentTokenId", parentTokenId.toString());
        }
        audit.record("TOKEN_CREATE", owner.username() + "/" + label, Outcome.SUCCESS, details);
        return new MintedToken(saved.id(), saved.name(), token, saved.expiresAt());
    }

    @Transactional(readOnly = true)
    public List<TokenView> listFor(UUID userId) {
        Instant now = clock.instant();
        return tokens.findByUserIdOrderByCreatedAtDesc(userId).stream()
                .map(t -> new TokenView(t.id(), t.name(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), t.revokedAt(),
                        t.usableAt(now), t.parentId()))
                .toList();
    }

    /**
     * Revokes one of the user's tokens and every token minted with it; a token of another user is
     * reported as absent. Users call it for their own tokens, admins for anyone's.
     */
    @Transactional
    public void revoke(UUID userId, UUID tokenId) {
        ApiToken token = tokens.findById(tokenId)
                .filter(t -> t.userId().equals(userId))
                .orElseThrow(() -> Rejected.notFound("Token", tokenId));
        Instant now = clock.instant();
        token.revoke(now);
        revoked();
        int descendants = revokeDescendants(token.id(), now);
        audit.record("TOKEN_REVOKE", token.name(), Outcome.SUCCESS,
                Map.of("tokenId", tokenId.toString(), "mintedWithIt", descendants));
    }

    /** Revokes every token of the user: their password or rights changed, so what they delegated ends. */
    @Transactional
    public void revokeAllOf(UUID userId, String username, String reason) {
        Instant now = clock.instant();
        long revoked = tokens.findByUserIdOrderByCreatedAtDesc(userId).stream().filter(t -> t.revoke(now)).count();
        revoked();
        if (revoked > 0) {
            audit.record("TOKEN_REVOKE", username, Outcome.SUCCESS, Map.of("tokens", revoked, "reason", reason));
        }
    }

    private int revokeDescendants(UUID parentId, Instant now) {
        int count = 0;
        Deque<UUID> pending = new ArrayDeque<>(List.of(parentId));
        while (!pending.isEmpty()) {
            for (ApiToken child : tokens.findByParentId(pending.pop())) {
                if (child.revoke(now)) {
                    count++;
                }
                pending.push(child.id());
            }
        }
        return count;
    }

    /**
     * The authentication a presented token stands for, if it is known, unexpired, unrevoked and its user enabled.
     * Every API request asks, so a token found good is remembered for {@link #CHECK_AGAIN} (no database connection
     * per request); revoking any token through this console (which disabling a user, a new role or a password reset
     * do) forgets them all once committed, and expiry is checked at every request.
     */
    Optional<ApiTokenAuthentication> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(presented);
        Instant now = clock.instant();
        Checked known = checked.get(hash);
        if (known != null && known.revocations() == revocations.get() && now.isBefore(known.checkedAt().plus(CHECK_AGAIN))
                && known.expiresAt().isAfter(now)) {
            return Optional.of(new ApiTokenAuthentication(known.user(), known.tokenId()));
        }
        long seen = revocations.get(); // before reading: a revocation committed meanwhile makes this check out of date
        Optional<Checked> fresh = transactions.execute(status -> check(hash, now, seen));
        if (fresh.isEmpty()) {
            checked.remove(hash);
            return Optional.empty();
        }
        if (checked.size() >= MAX_REMEMBERED) {
            checked.clear();
        }
        checked.put(hash, fresh.get());
        return Optional.of(new ApiTokenAuthentication(fresh.get().user(), fresh.get().tokenId()));
    }

    private Optional<Checked> check(String hash, Instant now, long seen) {
        return tokens.findByTokenHash(hash)
                .filter(token -> token.usableAt(now))
                .flatMap(token -> {
                    if (token.lastUsedAt() == null || token.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
                        tokens.touch(token.id(), now);
                    }
                    return accounts.findById(token.userId())
                            .filter(UserAccount::enabled)
                            .map(account -> new Checked(TandemUser.forToken(account), token.id(), token.expiresAt(), seen, now));
                });
    }

    /** A token found good: who it stands for, until when, and as of which revocation count and time. */
    private record Checked(TandemUser user, UUID tokenId, Instant expiresAt, long revocations, Instant checkedAt) {
    }

    /** Tokens found good are forgotten after a revocation through this console commits (or rolls back). */
    private void revoked() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    revocations.incrementAndGet();
                }
            });
        } else {
            revocations.incrementAndGet();
        }
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}

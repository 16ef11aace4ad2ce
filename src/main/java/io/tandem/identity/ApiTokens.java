package io.tandem.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiTokens extends JpaRepository<ApiToken, UUID> {

    Optional<ApiToken> findByTokenHash(String tokenHash);

    List<ApiToken> findByUserIdOrderByCreatedAtDesc(UUID userId);

    /** A plain UPDATE so that using a token never conflicts with revoking it. */
    @Modifying
    @Query("update ApiToken t set t.lastUsedAt = ?2 where t.id = ?1")
    void touch(UUID id, java.time.Instant when);
}

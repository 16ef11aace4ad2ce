package io.tandem.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

import jakarta.persistence.LockModeType;

interface ApiTokens extends JpaRepository<ApiToken, UUID> {

    Optional<ApiToken> findByTokenHash(String tokenHash);

    List<ApiToken> findByUserIdOrderByCreatedAtDesc(UUID userId);

    List<ApiToken> findByParentId(UUID parentId);

    /** Row lock: minting with a token waits for a revocation of that token in flight, and sees it. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select t from ApiToken t where t.id = ?1")
    Optional<ApiToken> lockById(UUID id);

    /** A plain UPDATE so that using a token never conflicts with revoking it. */
    @Modifying
    @Query("update ApiToken t set t.lastUsedAt = ?2 where t.id = ?1")
    void touch(UUID id, java.time.Instant when);
}

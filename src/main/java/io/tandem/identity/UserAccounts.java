package io.tandem.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserAccounts extends JpaRepository<UserAccount, UUID> {

    @Query("select u from UserAccount u where lower(u.username) = lower(?1)")
    Optional<UserAccount> findByUsername(String username);

    @Query("select u from UserAccount u order by lower(u.username)")
    List<UserAccount> findAllOrdered();

    @Query("select count(u) from UserAccount u where u.role = io.tandem.identity.Role.ADMIN and u.enabled = true")
    long countEnabledAdmins();
}

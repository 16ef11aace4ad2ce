package io.tandem.identity;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.datastore.DataDirectory;

/**
 * On the first start (no users at all) creates {@code admin}. Its password comes from
 * TANDEM_ADMIN_PASSWORD ({@code tandem.admin-password}), or is generated, printed once and written to
 * {@code <data-dir>/initial-admin-password} (0600), and must then be changed at first login.
 */
@Component
@Order(0)
class InitialAdmin implements ApplicationRunner {

    static final String USERNAME = "admin";
    static final String PASSWORD_FILE = "initial-admin-password";
    private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

    private final UserAccounts accounts;
    private final PasswordEncoder encoder;
    private final PasswordPolicy policy;
    private final String configuredPassword;
    private final DataDirectory dataDirectory;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    InitialAdmin(UserAccounts accounts, PasswordEncoder encoder, PasswordPolicy policy,
                 @Value("${tandem.admin-password:}") String configuredPassword,
                 DataDirectory dataDirectory, AuditLog audit, TransactionTemplate transactions, Clock clock) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.policy = policy;
        this.configuredPassword = configuredPassword;
        this.dataDirectory = dataDirectory;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (accounts.count() > 0) {
            return;
        }
        boolean given = StringUtils.hasText(configuredPassword);
        String password = given ? configuredPassword : policy.generate();
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PasswordPolicy.MAX_BYTES) {
            // bcrypt cannot hash it; say so instead of failing inside the encoder
            throw new IllegalStateException("TANDEM_ADMIN_PASSWORD is longer than " + PasswordPolicy.MAX_BYTES + " bytes");
        }
        try {
            transactions.executeWithoutResult(status -> {
                accounts.save(new UserAccount(USERNAME, encoder.encode(password), Role.ADMIN, !given, clock.instant()));
                audit.record(AuditLog.SYSTEM, "USER_CREATE", USERNAME, Outcome.SUCCESS,
                        Map.of("after", Map.of("username", USERNAME, "role", "ADMIN", "initial", true)));
            });
        } catch (DataIntegrityViolationException raced) {
            return; // another console sharing this database created it first
        }
        if (given) {
            log.info("Created user '{}' (ADMIN) with the password from TANDEM_ADMIN_PASSWORD.", USERNAME);
            return;
        }
        Path file = dataDirectory.resolve(PASSWORD_FILE);
        writeOwnerOnly(file, password + "\n");
        log.warn("""

                ==================================================================
                  First start: created user '{}' (ADMIN) with password
                      {}
                  (also in {}, readable by this user only).
                  You must change it at first login.
                ==================================================================
                """, USERNAME, password, file);
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException raced) {
                // overwritten below
            }
            Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            log.warn("Could not write {}: {} (the password is in the log above)", file, e.getMessage());
        }
    }

    /** Called once admin has chosen a password: the generated one must not linger on disk. */
    static void forgetInitialPassword(DataDirectory dataDirectory) {
        try {
            Files.deleteIfExists(dataDirectory.resolve(PASSWORD_FILE));
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dataDirectory.resolve(PASSWORD_FILE), e.getMessage());
        }
    }
}

package io.unbreakable.payments.api.consoleuser;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.audit.AuditTrail;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finance's console users: the bootstrap user of the environment (PAYMENT_CONSOLE_USERNAME /
 * PAYMENT_CONSOLE_PASSWORD, an OPERATOR, kept in memory only; with no password one is generated and
 * printed once at start-up) and the users created through the admin API or the console (bcrypt,
 * disabled rather than deleted). Every change is audited in its transaction.
 */
@Service
public class ConsoleUserService {

    static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,49}");

    private final ConsoleUserRepository users;
    private final PasswordEncoder encoder;
    private final AuditTrail audit;
    private final ConsoleUser bootstrap;

    ConsoleUserService(ConsoleUserRepository users, PasswordEncoder encoder, AuditTrail audit,
            @Value("${payments.console.admin-username:finance}") String bootstrapUsername,
            @Value("${payments.console.admin-password:}") String bootstrapPassword) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
        String password = bootstrapPassword;
        if (password == null || password.isBlank()) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // shown once, on the console of the process that made it; set PAYMENT_CONSOLE_PASSWORD to choose your own
            System.out.println("\n  PAYMENT_CONSOLE_PASSWORD was not set; sign in to /console as " + bootstrapUsername
                    + " with this run's password: " + password + "\n");
        }
        this.bootstrap = new ConsoleUser(bootstrapUsername, encoder.encode(password), ConsoleRole.OPERATOR, true, null, true);
    }

    /** The user as it is now (the bootstrap user included), for sign-in and for every console request. */
    public Optional<ConsoleUser> find(String username) {
        return bootstrap.username().equals(username) ? Optional.of(bootstrap) : users.find(username);
    }

    /** The bootstrap user first, then the others by name. */
    public List<ConsoleUser> all() {
        List<ConsoleUser> all = new ArrayList<>();
        all.add(bootstrap);
        all.addAll(users.all());
        return all;
    }

    @Transactional
    public ConsoleUser create(String username, String password, ConsoleRole role) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "username must be 3-50 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        checkPassword(password);
        if (bootstrap.username().equals(username)) {
            throw new ApiException(ErrorCode.DUPLICATED_CONSOLE_USER, "console user " + username + " exists (the bootstrap user)");
        }
        ConsoleUser created = users.insert(username, encoder.encode(password), role)
                .orElseThrow(() -> new ApiException(ErrorCode.DUPLICATED_CONSOLE_USER, "console user " + username + " exists"));
        audit.record("CONSOLE_USER_CREATED", "CONSOLE_USER", username, null, created.audited());
        return created;
    }

    /** Changes what is given (null: kept). The bootstrap user is changed in the environment, not here. */
    @Transactional
    public ConsoleUser change(String username, ConsoleRole role, Boolean enabled, String password) {
        if (bootstrap.username().equals(username)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "the bootstrap user " + username + " is set by PAYMENT_CONSOLE_USERNAME/PAYMENT_CONSOLE_PASSWORD, not here");
        }
        ConsoleUser before = users.lock(username)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no console user " + username));
        if (password != null) {
            checkPassword(password);
        }
        ConsoleUser after = users.update(username, role == null ? before.role() : role, enabled == null ? before.enabled() : enabled,
                password == null ? before.passwordHash() : encoder.encode(password));
        Map<String, Object> changed = new LinkedHashMap<>(after.audited());
        changed.put("passwordChanged", password != null);
        audit.record("CONSOLE_USER_CHANGED", "CONSOLE_USER", username, before.audited(), changed);
        return after;
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > 100) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "password must be " + MIN_PASSWORD_LENGTH + "-100 characters");
        }
    }
}

package io.unbreakable.payments.api.consoleuser;

import java.time.OffsetDateTime;
import java.util.Map;

/** A finance console user; {@code passwordHash} is bcrypt and never leaves the pages' sign-in. */
public record ConsoleUser(String username, String passwordHash, ConsoleRole role, boolean enabled, OffsetDateTime createdAt,
        boolean bootstrap) {

    /** What an audit row or a list shows of a user: never the hash. */
    public Map<String, Object> audited() {
        return Map.of("username", username, "role", role.name(), "enabled", enabled);
    }
}

package io.unbreakable.payments.api.consoleuser;

import static io.unbreakable.payments.db.jooq.Tables.CONSOLE_USER;
import static org.jooq.impl.DSL.currentOffsetDateTime;

import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

@Repository
class ConsoleUserRepository {

    private final DSLContext db;

    ConsoleUserRepository(DSLContext db) {
        this.db = db;
    }

    /** Empty when the name is taken. */
    Optional<ConsoleUser> insert(String username, String passwordHash, ConsoleRole role) {
        try {
            return Optional.of(db.insertInto(CONSOLE_USER)
                    .set(CONSOLE_USER.USERNAME, username)
                    .set(CONSOLE_USER.PASSWORD_HASH, passwordHash)
                    .set(CONSOLE_USER.ROLE, role.name())
                    .returning()
                    .fetchSingle(ConsoleUserRepository::toUser));
        } catch (DuplicateKeyException taken) {
            return Optional.empty();
        }
    }

    Optional<ConsoleUser> find(String username) {
        return db.selectFrom(CONSOLE_USER).where(CONSOLE_USER.USERNAME.eq(username)).fetchOptional(ConsoleUserRepository::toUser);
    }

    /** The row locked for a change, so two changes of one user are audited in the order they happened. */
    Optional<ConsoleUser> lock(String username) {
        return db.selectFrom(CONSOLE_USER).where(CONSOLE_USER.USERNAME.eq(username)).forUpdate()
                .fetchOptional(ConsoleUserRepository::toUser);
    }

    List<ConsoleUser> all() {
        return db.selectFrom(CONSOLE_USER).orderBy(CONSOLE_USER.USERNAME).fetch(ConsoleUserRepository::toUser);
    }

    ConsoleUser update(String username, ConsoleRole role, boolean enabled, String passwordHash) {
        return db.update(CONSOLE_USER)
                .set(CONSOLE_USER.ROLE, role.name())
                .set(CONSOLE_USER.ENABLED, enabled)
                .set(CONSOLE_USER.PASSWORD_HASH, passwordHash)
                .set(CONSOLE_USER.UPDATED_AT, currentOffsetDateTime())
                .where(CONSOLE_USER.USERNAME.eq(username))
                .returning()
                .fetchSingle(ConsoleUserRepository::toUser);
    }

    private static ConsoleUser toUser(Record r) {
        return new ConsoleUser(r.get(CONSOLE_USER.USERNAME), r.get(CONSOLE_USER.PASSWORD_HASH),
                ConsoleRole.valueOf(r.get(CONSOLE_USER.ROLE)), r.get(CONSOLE_USER.ENABLED), r.get(CONSOLE_USER.CREATED_AT), false);
    }
}

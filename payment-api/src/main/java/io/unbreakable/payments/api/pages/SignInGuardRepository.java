package io.unbreakable.payments.api.pages;

import static io.unbreakable.payments.db.jooq.Tables.SIGN_IN_GUARD;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.val;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

@Repository
class SignInGuardRepository {

    private final DSLContext db;

    SignInGuardRepository(DSLContext db) {
        this.db = db;
    }

    /** The end of the user's lock, when it is locked at {@code now}. */
    Optional<OffsetDateTime> lockedUntil(Area area, String username, OffsetDateTime now) {
        return db.select(SIGN_IN_GUARD.LOCKED_UNTIL).from(SIGN_IN_GUARD)
                .where(SIGN_IN_GUARD.AREA.eq(area.name())).and(SIGN_IN_GUARD.USERNAME.eq(username))
                .and(SIGN_IN_GUARD.LOCKED_UNTIL.gt(now))
                .fetchOptional(SIGN_IN_GUARD.LOCKED_UNTIL);
    }

    /**
     * Counts a failure: the first of a window starts it, a failure after the window began anew; the
     * {@code maxFailures}-th within the window sets the lock. Returns (failures, lockedUntil) after it.
     */
    Failures recordFailure(Area area, String username, OffsetDateTime now, OffsetDateTime windowStartedBefore, int maxFailures,
            OffsetDateTime lockedUntilIfLocked) {
        return db.resultQuery("""
                        insert into sign_in_guard as g (area, username, failures, window_started_at) values ({0}, {1}, 1, {2})
                        on conflict (area, username) do update set
                            failures = case when g.window_started_at <= {3} then 1 else g.failures + 1 end,
                            window_started_at = case when g.window_started_at <= {3} then {2} else g.window_started_at end,
                            locked_until = case when g.window_started_at > {3} and g.failures + 1 >= {4} then {5}
                                                else g.locked_until end
                        returning failures, locked_until""",
                        val(area.name()), val(username), val(now),
                        val(windowStartedBefore), inline(maxFailures),
                        val(lockedUntilIfLocked))
                .fetchSingle(r -> new Failures(r.get(0, Integer.class), r.get(1, OffsetDateTime.class)));
    }

    void clear(Area area, String username) {
        db.deleteFrom(SIGN_IN_GUARD).where(SIGN_IN_GUARD.AREA.eq(area.name())).and(SIGN_IN_GUARD.USERNAME.eq(username)).execute();
    }

    /** @param lockedUntil null unless this failure locked the user (or it was locked already) */
    record Failures(int count, OffsetDateTime lockedUntil) {
    }
}

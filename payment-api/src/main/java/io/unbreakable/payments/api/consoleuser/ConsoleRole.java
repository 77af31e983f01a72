package io.unbreakable.payments.api.consoleuser;

import java.util.List;

/** What a console user may do: VIEWER reads everything; OPERATOR also changes things (every POST of the console). */
public enum ConsoleRole {
    VIEWER,
    OPERATOR;

    /** Spring Security roles: an OPERATOR is a VIEWER too. */
    public List<String> roles() {
        return this == OPERATOR ? List.of(VIEWER.name(), OPERATOR.name()) : List.of(VIEWER.name());
    }
}

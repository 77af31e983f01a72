package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.consoleuser.ConsoleUser;
import io.unbreakable.payments.api.consoleuser.ConsoleUserService;
import java.util.Optional;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * The finance console's users as Spring Security sees them: the bootstrap user and the users in the
 * database, with ROLE_VIEWER, and ROLE_OPERATOR too for an OPERATOR. A disabled user cannot sign in,
 * and (PagesActorFilter) is signed out on its next request.
 */
@Component
class ConsoleUsers implements UserDetailsService {

    private final ConsoleUserService users;

    ConsoleUsers(ConsoleUserService users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        return current(name).orElseThrow(() -> new UsernameNotFoundException("no console user " + name));
    }

    /** The user as it is now; disabled users are returned disabled (sign-in refuses them). */
    Optional<UserDetails> current(String name) {
        return users.find(name).map(ConsoleUsers::details);
    }

    private static UserDetails details(ConsoleUser user) {
        return User.withUsername(user.username()).password(user.passwordHash()).disabled(!user.enabled())
                .authorities(AuthorityUtils.createAuthorityList(user.role().roles().stream().map(role -> "ROLE_" + role).toList()))
                .build();
    }
}

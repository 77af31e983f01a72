package io.unbreakable.payments.api.pages;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The finance console's user: payments.console.admin-username / admin-password
 * (PAYMENT_CONSOLE_USERNAME / PAYMENT_CONSOLE_PASSWORD), or, when no password is set, a random one
 * printed once at start-up so the embedded default works out of the box (like the API's admin token).
 */
@Component
class ConsoleAdmin implements UserDetailsService {

    private final String username;
    private final String passwordHash;

    ConsoleAdmin(@Value("${payments.console.admin-username:finance}") String username,
            @Value("${payments.console.admin-password:}") String configured, PasswordEncoder encoder) {
        String password = configured;
        if (password == null || password.isBlank()) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // shown once, on the console of the process that made it; set PAYMENT_CONSOLE_PASSWORD to choose your own
            System.out.println("\n  PAYMENT_CONSOLE_PASSWORD was not set; sign in to /console as " + username
                    + " with this run's password: " + password + "\n");
        }
        this.username = username;
        this.passwordHash = encoder.encode(password);
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        if (!username.equals(name)) {
            throw new UsernameNotFoundException("not the console user");
        }
        return new User(username, passwordHash, List.of(new SimpleGrantedAuthority("ROLE_" + PagesSecurityConfiguration.FINANCE)));
    }
}

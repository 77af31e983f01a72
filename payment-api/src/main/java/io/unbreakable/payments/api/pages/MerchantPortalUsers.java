package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.merchant.MerchantService;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Merchants sign in to the portal with their merchant ID and the portal password finance (or they)
 * set; a merchant without one cannot sign in. The API secret key is never typed into a form.
 */
@Component
public class MerchantPortalUsers implements UserDetailsService {

    private final MerchantService merchants;

    MerchantPortalUsers(MerchantService merchants) {
        this.merchants = merchants;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        if (!username.matches("[0-9]{1,18}")) {
            throw new UsernameNotFoundException("a merchant ID is a number");
        }
        String hash = merchants.portalPasswordHash(Long.parseLong(username))
                .orElseThrow(() -> new UsernameNotFoundException("no portal password for merchant " + username));
        return new User(username, hash, List.of(new SimpleGrantedAuthority("ROLE_" + PagesSecurityConfiguration.MERCHANT)));
    }

    /** The signed-in merchant: every portal query is scoped by this id. */
    public static long merchantId(Authentication authentication) {
        return Long.parseLong(authentication.getName());
    }
}

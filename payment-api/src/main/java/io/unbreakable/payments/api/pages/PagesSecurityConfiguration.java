package io.unbreakable.payments.api.pages;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * Three filter chains, chosen by path. The JSON API, actuator and API docs keep their own
 * authentication ({@code ApiAuthenticationFilter}: secret key or admin bearer token) and stay
 * stateless: no session, no CSRF, no added headers, exactly as before the pages existed. The
 * finance console and the merchant portal are pages for people: form sign-in, a session cookie,
 * CSRF tokens on every form, each with its own users and its own slot in the session, so a
 * merchant's sign-in never counts in the console.
 */
@Configuration(proxyBeanMethods = false)
class PagesSecurityConfiguration {

    static final String FINANCE = "FINANCE";
    static final String MERCHANT = "MERCHANT";

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/v1/**", "/actuator/**", "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs/**")
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .headers(headers -> headers.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleChain(HttpSecurity http, ConsoleAdmin admin, PasswordEncoder encoder) throws Exception {
        return pages(http, "/console", FINANCE, manager(admin, encoder));
    }

    @Bean
    @Order(3)
    SecurityFilterChain portalChain(HttpSecurity http, MerchantPortalUsers merchants, PasswordEncoder encoder) throws Exception {
        return pages(http, "/merchant", MERCHANT, manager(merchants, encoder));
    }

    private static SecurityFilterChain pages(HttpSecurity http, String base, String role, AuthenticationManager manager)
            throws Exception {
        HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
        contexts.setSpringSecurityContextKey("SECURITY_CONTEXT_" + role);
        HttpSessionRequestCache requests = new HttpSessionRequestCache();
        requests.setSessionAttrName("SAVED_REQUEST_" + role);
        return http.securityMatcher(base, base + "/**")
                // only this area's users: no parent manager a failed sign-in could fall through to
                .authenticationManager(manager)
                .securityContext(context -> context.securityContextRepository(contexts))
                .requestCache(cache -> cache.requestCache(requests))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(base + "/login").permitAll()
                        .anyRequest().hasRole(role))
                .formLogin(form -> form.loginPage(base + "/login").defaultSuccessUrl(base).failureUrl(base + "/login?error"))
                .logout(logout -> logout.logoutUrl(base + "/logout").logoutSuccessUrl(base + "/login?logout"))
                .build();
    }

    private static AuthenticationManager manager(UserDetailsService users, PasswordEncoder encoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        return new ProviderManager(provider);
    }
}

package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.consoleuser.ConsoleRole;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * Three filter chains, chosen by path. The JSON API and API docs keep their own authentication
 * ({@code ApiAuthenticationFilter}: secret key or admin bearer token) and stay stateless: no session,
 * no CSRF, no added headers. The finance console and the merchant portal are pages for people: form
 * sign-in guarded by {@link SignInGuard}, a session cookie (SameSite=Lax, HttpOnly, Secure over TLS,
 * 30 minutes: server.servlet.session in application.yml), CSRF tokens on every form, a
 * Content-Security-Policy without inline script or style, each area with its own users and its own slot
 * in the session, so a merchant's sign-in never counts in the console. In the console every GET needs
 * VIEWER and every other method OPERATOR: one rule, so a form added later is guarded without a line.
 */
@Configuration(proxyBeanMethods = false)
class PagesSecurityConfiguration {

    static final String MERCHANT = "MERCHANT";
    /** htmx and the CSS come from the jar; nothing inline may run or style the page. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

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
    SecurityFilterChain consoleChain(HttpSecurity http, ConsoleUsers users, PasswordEncoder encoder, SignInGuard guard, Clock clock)
            throws Exception {
        return pages(http, Area.CONSOLE, new GuardedSignIn(Area.CONSOLE, passwords(users, encoder), guard, clock), users,
                authorize -> authorize
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**").hasRole(ConsoleRole.VIEWER.name())
                        .anyRequest().hasRole(ConsoleRole.OPERATOR.name()));
    }

    @Bean
    @Order(3)
    SecurityFilterChain portalChain(HttpSecurity http, MerchantPortalUsers merchants, PasswordEncoder encoder, SignInGuard guard,
            Clock clock) throws Exception {
        return pages(http, Area.PORTAL, new GuardedSignIn(Area.PORTAL, passwords(merchants, encoder), guard, clock), null,
                authorize -> authorize.anyRequest().hasRole(MERCHANT));
    }

    /** Where an area keeps its signed-in user in the session. */
    static String contextKey(Area area) {
        return "SECURITY_CONTEXT_" + area.name();
    }

    private static SecurityFilterChain pages(HttpSecurity http, Area area, GuardedSignIn signIn, ConsoleUsers consoleUsers,
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> rules)
            throws Exception {
        String base = area.base();
        HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
        contexts.setSpringSecurityContextKey(contextKey(area));
        HttpSessionRequestCache requests = new HttpSessionRequestCache();
        requests.setSessionAttrName("SAVED_REQUEST_" + area.name());
        return http.securityMatcher(base, base + "/**")
                // only this area's users: no parent manager a failed sign-in could fall through to
                .authenticationManager(new ProviderManager(signIn))
                .securityContext(context -> context.securityContextRepository(contexts))
                .requestCache(cache -> cache.requestCache(requests))
                .addFilterAfter(new PagesActorFilter(area, consoleUsers), SecurityContextHolderFilter.class)
                .authorizeHttpRequests(authorize -> {
                    // the pages a refusal forwards to (403, 429) render whatever the refused request was
                    authorize.dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR).permitAll()
                            .requestMatchers(base + "/login").permitAll();
                    rules.customize(authorize);
                })
                .exceptionHandling(exceptions -> exceptions.accessDeniedHandler(PageForwards.denied(area)))
                .formLogin(form -> form.loginPage(base + "/login").defaultSuccessUrl(base).failureHandler(signIn))
                .logout(logout -> logout.logoutUrl(base + "/logout").logoutSuccessUrl(base + "/login?logout"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    private static DaoAuthenticationProvider passwords(UserDetailsService users, PasswordEncoder encoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        return provider;
    }
}

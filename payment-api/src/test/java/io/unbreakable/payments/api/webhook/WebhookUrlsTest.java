package io.unbreakable.payments.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.api.common.ApiException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlsTest {

    private final WebhookUrls strict = new WebhookUrls(properties(false));

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hook", "http://localhost:8080/hook", "https://10.0.0.5/hook", "http://172.16.3.4/",
            "http://192.168.0.10/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook", "http://[fe80::1]/hook",
            "http://[fd00::1]/hook", "http://0.0.0.0/", "http://100.64.0.1/", "http://2130706433/"})
    void refusesPrivateLoopbackAndLinkLocalAddresses(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("INVALID_WEBHOOK_URL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/hook", "example.com/hook", "http:///hook", "https://user:pw@example.com/hook",
            "javascript:alert(1)", "http://exa mple.com/", "https://no-such-host.invalid/hook"})
    void refusesWhatIsNotAnHttpUrlWithAResolvableHost(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"})
    void publicAddressesAreNotPrivate(String address) throws Exception {
        assertThat(WebhookUrls.isPrivate(InetAddress.getByName(address))).isFalse();
    }

    // the reserved IPv4 blocks Java's own checks do not know, at and just past their edges
    @ParameterizedTest
    @ValueSource(strings = {"100.64.0.0", "100.127.255.255", "0.1.2.3", "192.0.0.8", "198.18.0.1", "198.19.255.255",
            "240.0.0.1", "255.255.255.255", "224.0.0.1", "[fc00::1]"})
    void reservedBlocksArePrivate(String address) throws Exception {
        assertThat(WebhookUrls.isPrivate(InetAddress.getByName(address.replace("[", "").replace("]", "")))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.63.255.255", "100.128.0.0", "192.0.1.1", "192.1.0.1", "198.17.255.255", "198.20.0.0",
            "223.255.255.255", "[fe00::1]"})
    void addressesJustOutsideTheReservedBlocksAreNot(String address) throws Exception {
        assertThat(WebhookUrls.isPrivate(InetAddress.getByName(address.replace("[", "").replace("]", "")))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9999/hook", "http://localhost/hook"})
    void privateAddressesAreAcceptedWhenAllowed(String url) {
        assertThat(new WebhookUrls(properties(true)).check(url).getHost()).isNotBlank();
    }

    static WebhookProperties properties(boolean allowPrivate) {
        return new WebhookProperties(allowPrivate, List.of(Duration.ofMinutes(1)), false, Duration.ofMillis(500), 100,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 16, 4, 4, Duration.ofDays(5), Duration.ofHours(24), 10);
    }
}

package io.unbreakable.payments.api.webhook;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which URLs a merchant may have us call: http(s) with a host, no credentials in it, and (unless
 * {@code payments.webhooks.allow-private-addresses}) only public addresses: a webhook must not become a way
 * into our own network (SSRF). Checked at registration and again before every send, since a name may
 * later resolve elsewhere.
 */
@Component
class WebhookUrls {

    private final boolean allowPrivateAddresses;

    WebhookUrls(WebhookProperties properties) {
        this.allowPrivateAddresses = properties.allowPrivateAddresses();
    }

    /** The URL as it will be called, or a 400 INVALID_WEBHOOK_URL saying why not. */
    URI check(String url) {
        URI uri = parse(url).orElseThrow(() -> refused("url must be an absolute http(s) URL with a host, was: " + url));
        refusal(uri).ifPresent(reason -> {
            throw refused(reason);
        });
        return uri;
    }

    /** Why this URL may not be called now (its host resolves to a refused address), or empty. */
    Optional<String> refusal(URI uri) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("host " + uri.getHost() + " does not resolve");
        }
        if (allowPrivateAddresses) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("host " + uri.getHost() + " resolves to a private, loopback or link-local address ("
                        + address.getHostAddress() + "); set payments.webhooks.allow-private-addresses=true to allow it");
            }
        }
        return Optional.empty();
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        // 100.64.0.0/10 (carrier-grade NAT), 0.0.0.0/8, 192.0.0.0/24, 198.18.0.0/15 (benchmarking), 240.0.0.0/4
        return (first == 100 && second >= 64 && second < 128) || first == 0 || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0)
                || (first == 198 && (second == 18 || second == 19)) || first >= 240;
    }

    private static Optional<URI> parse(String url) {
        if (url == null || url.length() > 2048) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static ApiException refused(String message) {
        return new ApiException(ErrorCode.INVALID_WEBHOOK_URL, message);
    }
}

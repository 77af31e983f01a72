package io.unbreakable.payments.api.webhook;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.webhook.WebhookEventType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A merchant's webhook endpoints: registered with a signing secret (shown once, kept encrypted), rotated
 * (the old secret signs too for a day), deleted, their deliveries read and redelivered. Every change is
 * audited in its own transaction; a secret is never in an audit row or a log line.
 */
@Service
public class WebhookService {

    /** DataCipher purpose of the endpoints' signing secrets (key rotation rewrites them too). */
    public static final String SECRET_PURPOSE = "webhook_endpoint.secret";

    private final WebhookRepository webhooks;
    private final WebhookUrls urls;
    private final DataCipher cipher;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final WebhookProperties properties;

    WebhookService(WebhookRepository webhooks, WebhookUrls urls, DataCipher cipher, AuditTrail audit, TransactionTemplate tx,
            WebhookProperties properties) {
        this.webhooks = webhooks;
        this.urls = urls;
        this.cipher = cipher;
        this.audit = audit;
        this.tx = tx;
        this.properties = properties;
    }

    /** A new endpoint and its secret (the only time the secret leaves the database in plaintext). */
    Registered register(long merchantId, String url, List<WebhookEventType> eventTypes) {
        URI uri = urls.check(url);
        List<String> types = eventTypes.stream().distinct().map(Enum::name).toList();
        String secret = WebhookSignature.newSecret();
        return tx.execute(status -> {
            if (webhooks.countLive(merchantId) >= properties.maxEndpointsPerMerchant()) {
                throw new ApiException(ErrorCode.WEBHOOK_ENDPOINT_LIMIT,
                        "a merchant has at most " + properties.maxEndpointsPerMerchant() + " webhook endpoints; delete one first");
            }
            long id = webhooks.insertEndpoint(merchantId, uri.toString(), types, cipher.encrypt(SECRET_PURPOSE, secret));
            audit.record("WEBHOOK_ENDPOINT_CREATED", "WEBHOOK_ENDPOINT", id, null, describe(merchantId, uri.toString(), types));
            return new Registered(webhooks.endpoint(merchantId, id, false).orElseThrow(), secret);
        });
    }

    public List<WebhookRepository.Endpoint> endpoints(long merchantId) {
        return webhooks.endpoints(merchantId);
    }

    /** Every merchant's endpoints (the console), newest first. */
    public List<WebhookRepository.Endpoint> allEndpoints(int limit) {
        return webhooks.allEndpoints(limit);
    }

    /** One endpoint; with a merchant, only its own (another's is a 404 as if it did not exist). */
    public WebhookRepository.Endpoint endpoint(Long merchantId, long endpointId) {
        return webhooks.endpoint(merchantId, endpointId, false).orElseThrow(() -> notFound(endpointId));
    }

    void delete(long merchantId, long endpointId) {
        tx.executeWithoutResult(status -> {
            WebhookRepository.Endpoint endpoint = webhooks.endpoint(merchantId, endpointId, true).orElseThrow(() -> notFound(endpointId));
            webhooks.markDeleted(endpointId);
            audit.record("WEBHOOK_ENDPOINT_DELETED", "WEBHOOK_ENDPOINT", endpointId,
                    describe(merchantId, endpoint.url(), endpoint.eventTypes()), null);
        });
    }

    /** A new secret; the one it replaces keeps signing (a second signature) for payments.webhooks.previous-secret-validity. */
    Registered rotateSecret(long merchantId, long endpointId) {
        String secret = WebhookSignature.newSecret();
        return tx.execute(status -> {
            WebhookRepository.Endpoint endpoint = webhooks.endpoint(merchantId, endpointId, true).orElseThrow(() -> notFound(endpointId));
            webhooks.rotateSecret(endpointId, cipher.encrypt(SECRET_PURPOSE, secret), endpoint.secret(),
                    properties.previousSecretValidity());
            audit.record("WEBHOOK_SECRET_ROTATED", "WEBHOOK_ENDPOINT", endpointId, null,
                    Map.of("previousSecretValidFor", properties.previousSecretValidity().toString()));
            return new Registered(webhooks.endpoint(merchantId, endpointId, false).orElseThrow(), secret);
        });
    }

    /** An endpoint's deliveries, newest first; with a merchant, only its own endpoint's. */
    public List<WebhookRepository.Delivery> deliveries(Long merchantId, long endpointId, DeliveryStatus status, Long beforeId, int limit) {
        endpoint(merchantId, endpointId);
        return webhooks.deliveries(endpointId, status == null ? null : status.name(), beforeId, limit);
    }

    /** Sends a delivery again, now, on a fresh schedule; with a merchant, only its own. Returns its endpoint's id. */
    public long redeliver(Long merchantId, long deliveryId) {
        return tx.execute(status -> {
            WebhookRepository.DeliveryOwner owner = webhooks.deliveryOwner(deliveryId)
                    .filter(found -> merchantId == null || found.merchantId() == merchantId)
                    .filter(found -> !found.endpointStatus().equals("DELETED"))
                    .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_WEBHOOK_DELIVERY, "no webhook delivery " + deliveryId));
            webhooks.redeliver(deliveryId);
            audit.record("WEBHOOK_REDELIVERY_REQUESTED", "WEBHOOK_DELIVERY", deliveryId, Map.of("status", owner.status()),
                    Map.of("status", "PENDING", "endpointId", owner.endpointId()));
            return owner.endpointId();
        });
    }

    private static Map<String, Object> describe(long merchantId, String url, List<String> eventTypes) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("merchantId", merchantId);
        state.put("url", url);
        state.put("eventTypes", eventTypes);
        return state;
    }

    private static ApiException notFound(long endpointId) {
        return new ApiException(ErrorCode.NOT_FOUND_WEBHOOK, "no webhook endpoint " + endpointId);
    }

    public enum DeliveryStatus { PENDING, DELIVERED, FAILED }

    record Registered(WebhookRepository.Endpoint endpoint, String secret) {
    }
}

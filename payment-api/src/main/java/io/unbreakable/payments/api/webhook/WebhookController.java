package io.unbreakable.payments.api.webhook;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.api.idempotency.SecretAnswers;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
import io.unbreakable.payments.time.Seoul;
import io.unbreakable.payments.webhook.WebhookEventType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Webhooks", description = "Merchant: endpoints that receive signed events (Standard Webhooks 1.0), their deliveries and redelivery")
class WebhookController {

    static final int PAGE_SIZE = 50;

    private final WebhookService webhooks;

    WebhookController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping("/v1/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "The endpoint and its signing secret (shown only here and in an idempotent replay)",
            useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "INVALID_REQUEST (unknown event type, empty or oversize list), INVALID_WEBHOOK_URL "
            + "(not http(s), no host, a private, loopback or link-local address), WEBHOOK_ENDPOINT_LIMIT")
    @Operation(operationId = "createWebhook", summary = "Register an endpoint for these event types; the answer holds its signing secret (whsec_...)")
    CreatedWebhookResponse create(AuthenticatedMerchant merchant, @Valid @RequestBody CreateWebhookRequest request,
            HttpServletRequest http) {
        WebhookService.Registered registered = webhooks.register(merchant.merchantId(), request.url(), request.eventTypes());
        SecretAnswers.mark(http);
        WebhookEndpointResponse endpoint = WebhookEndpointResponse.of(registered.endpoint());
        return new CreatedWebhookResponse(endpoint.id(), endpoint.url(), endpoint.eventTypes(), endpoint.status(), endpoint.createdAt(),
                registered.secret());
    }

    @GetMapping("/v1/webhooks")
    @Operation(operationId = "getWebhooks", summary = "The merchant's endpoints (DISABLED ones too: redeliver one to enable it again)")
    List<WebhookEndpointResponse> list(AuthenticatedMerchant merchant) {
        return webhooks.endpoints(merchant.merchantId()).stream().map(WebhookEndpointResponse::of).toList();
    }

    @DeleteMapping("/v1/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @ApiResponse(responseCode = "204", description = "Deleted: nothing more is sent to it")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND_WEBHOOK")
    @Operation(operationId = "deleteWebhook", summary = "Delete an endpoint; its pending deliveries are dropped (FAILED), its history stays")
    void delete(AuthenticatedMerchant merchant, @PathVariable long id) {
        webhooks.delete(merchant.merchantId(), id);
    }

    @PostMapping("/v1/webhooks/{id}/rotate-secret")
    @ApiResponse(responseCode = "200", description = "The new secret; the old one keeps signing (a second v1 signature) for 24 hours",
            useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "NOT_FOUND_WEBHOOK")
    @Operation(operationId = "rotateWebhookSecret", summary = "A new signing secret; both sign for 24 hours so receivers can switch without a gap")
    RotatedSecretResponse rotateSecret(AuthenticatedMerchant merchant, @PathVariable long id, HttpServletRequest http) {
        WebhookService.Registered rotated = webhooks.rotateSecret(merchant.merchantId(), id);
        SecretAnswers.mark(http);
        return new RotatedSecretResponse(id, rotated.secret(), Seoul.time(rotated.endpoint().previousSecretExpiresAt()));
    }

    @GetMapping("/v1/webhooks/{id}/deliveries")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND_WEBHOOK")
    @Operation(operationId = "getWebhookDeliveries", summary = "An endpoint's deliveries, newest first, 50 a page (before= the last id), each attempt "
            + "with its time, HTTP status, latency and error")
    DeliveriesResponse deliveries(AuthenticatedMerchant merchant, @PathVariable long id,
            @RequestParam(required = false) WebhookService.DeliveryStatus status, @RequestParam(required = false) Long before) {
        return DeliveriesResponse.of(webhooks.deliveries(merchant.merchantId(), id, status, before, PAGE_SIZE));
    }

    @PostMapping("/v1/webhooks/deliveries/{deliveryId}/redeliver")
    @ApiResponse(responseCode = "200", description = "Due again now, on a fresh retry schedule", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "NOT_FOUND_WEBHOOK_DELIVERY")
    @Operation(operationId = "redeliverWebhook", summary = "Send a delivery again (a FAILED one, or a DELIVERED one the receiver lost)")
    RedeliveryResponse redeliver(AuthenticatedMerchant merchant, @PathVariable long deliveryId) {
        webhooks.redeliver(merchant.merchantId(), deliveryId);
        return new RedeliveryResponse(deliveryId, "PENDING");
    }

    record CreateWebhookRequest(
            @NotBlank @Size(max = 2048) String url,
            @NotNull @Size(min = 1, max = 10) List<@NotNull WebhookEventType> eventTypes) {
    }

    record WebhookEndpointResponse(long id, String url, List<String> eventTypes, String status, OffsetDateTime failingSince,
            OffsetDateTime disabledAt, OffsetDateTime createdAt) {

        static WebhookEndpointResponse of(WebhookRepository.Endpoint e) {
            return new WebhookEndpointResponse(e.id(), e.url(), e.eventTypes(), e.status(), Seoul.time(e.failingSince()),
                    Seoul.time(e.disabledAt()), Seoul.time(e.createdAt()));
        }
    }

    /** {@code secret}: whsec_ + base64 of the HMAC key; keep it on the receiving side only. */
    record CreatedWebhookResponse(long id, String url, List<String> eventTypes, String status, OffsetDateTime createdAt, String secret) {
    }

    record RotatedSecretResponse(long id, String secret, OffsetDateTime previousSecretExpiresAt) {
    }

    record RedeliveryResponse(long deliveryId, String status) {
    }

    record DeliveriesResponse(List<DeliveryResponse> deliveries, Long nextBefore) {

        static DeliveriesResponse of(List<WebhookRepository.Delivery> page) {
            Long next = page.size() == PAGE_SIZE ? page.get(page.size() - 1).id() : null;
            return new DeliveriesResponse(page.stream().map(DeliveryResponse::of).toList(), next);
        }
    }

    record DeliveryResponse(long deliveryId, String eventId, String eventType, String objectId, String status, int attemptCount,
            OffsetDateTime nextAttemptAt, Integer lastHttpStatus, String lastError, OffsetDateTime deliveredAt, OffsetDateTime createdAt,
            List<AttemptResponse> attempts) {

        static DeliveryResponse of(WebhookRepository.Delivery d) {
            return new DeliveryResponse(d.id(), d.eventId(), d.eventType(), d.objectId(), d.status(), d.attemptCount(),
                    d.status().equals("PENDING") ? Seoul.time(d.nextAttemptAt()) : null, d.lastHttpStatus(), d.lastError(),
                    Seoul.time(d.deliveredAt()), Seoul.time(d.createdAt()),
                    d.attempts().stream().map(a -> new AttemptResponse(Seoul.time(a.attemptedAt()), a.httpStatus(), a.latencyMs(), a.error()))
                            .toList());
        }
    }

    record AttemptResponse(OffsetDateTime attemptedAt, Integer httpStatus, int latencyMs, String error) {
    }
}

package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.webhook.WebhookService;
import java.util.Arrays;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * Webhook endpoints and their deliveries, the same pages for finance (every merchant's) and for a merchant
 * (its own: another's endpoint is a 404): DISABLED endpoints stand out, deliveries filter by status and a
 * FAILED one (or any) can be sent again.
 */
@Component
public class WebhookPages {

    static final int ENDPOINTS_SHOWN = 200;
    static final int DELIVERIES_SHOWN = 50;

    private final WebhookService webhooks;

    WebhookPages(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    /** {@code merchantId} null: every merchant's endpoints. */
    public String list(Area area, Long merchantId, Model model) {
        area.addTo(model);
        model.addAttribute("endpoints", merchantId == null ? webhooks.allEndpoints(ENDPOINTS_SHOWN) : webhooks.endpoints(merchantId));
        return "pages/webhooks";
    }

    /** An endpoint and its latest deliveries, of one status when {@code status} names one (anything else: all). */
    public String detail(Area area, Long merchantId, long endpointId, String status, Long before, Model model) {
        WebhookService.DeliveryStatus filter = Arrays.stream(WebhookService.DeliveryStatus.values())
                .filter(candidate -> candidate.name().equals(status)).findFirst().orElse(null);
        area.addTo(model);
        model.addAttribute("endpoint", webhooks.endpoint(merchantId, endpointId));
        var deliveries = webhooks.deliveries(merchantId, endpointId, filter, before, DELIVERIES_SHOWN);
        model.addAttribute("deliveries", deliveries);
        model.addAttribute("status", filter == null ? "" : filter.name());
        model.addAttribute("statuses", WebhookService.DeliveryStatus.values());
        model.addAttribute("nextBefore", deliveries.size() == DELIVERIES_SHOWN ? deliveries.get(deliveries.size() - 1).id() : null);
        return "pages/webhook";
    }
}

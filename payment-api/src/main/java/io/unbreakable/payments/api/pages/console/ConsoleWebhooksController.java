package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.api.pages.WebhookPages;
import io.unbreakable.payments.api.webhook.WebhookService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Finance's view of every merchant's webhook endpoints and deliveries; an OPERATOR can send a delivery again. */
@Controller
@RequestMapping("/console/webhooks")
class ConsoleWebhooksController {

    private final WebhookPages pages;
    private final WebhookService webhooks;

    ConsoleWebhooksController(WebhookPages pages, WebhookService webhooks) {
        this.pages = pages;
        this.webhooks = webhooks;
    }

    @GetMapping
    String list(Model model) {
        return pages.list(Area.CONSOLE, null, model);
    }

    @GetMapping("/{endpointId}")
    String detail(@PathVariable long endpointId, @RequestParam(required = false) String status,
            @RequestParam(required = false) Long before, Model model) {
        return pages.detail(Area.CONSOLE, null, endpointId, status, before, model);
    }

    @PostMapping("/deliveries/{deliveryId}/redeliver")
    String redeliver(@PathVariable long deliveryId) {
        return "redirect:/console/webhooks/" + webhooks.redeliver(null, deliveryId);
    }
}

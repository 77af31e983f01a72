package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.order.Order;
import io.unbreakable.payments.api.order.OrderService;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.api.payment.PaymentService;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;

/**
 * The payment list and a payment's page, the same for finance and for a merchant: the console calls
 * with any filter, the portal with its filter pinned to the signed-in merchant.
 */
@Component
public class PaymentPages {

    static final int PAGE_SIZE = 50;

    private final PagesRepository pages;
    private final PaymentService payments;
    private final OrderService orders;

    PaymentPages(PagesRepository pages, PaymentService payments, OrderService orders) {
        this.pages = pages;
        this.payments = payments;
        this.orders = orders;
    }

    /**
     * Fills the model with a page of the list and names the view: the whole page, or for HTMX the
     * results (a new filter) or just the next rows (load more, appended without a reload).
     */
    public String list(Area area, PaymentFilter filter, BindingResult binding, boolean htmx, Model model) {
        filter.validate(binding);
        PaymentPage page = binding.hasErrors() ? new PaymentPage(List.of(), null) : page(filter);
        area.addTo(model);
        model.addAttribute("page", page);
        if (htmx && filter.after() != null) {
            return "pages/payments :: more";
        }
        return htmx ? "pages/payments :: results" : "pages/payments";
    }

    private PaymentPage page(PaymentFilter filter) {
        // one row more than shown tells whether there is a next page without counting a million rows
        List<PagesRepository.PaymentRow> rows = pages.payments(filter,
                filter.after() == null ? null : PaymentCursor.parse(filter.after()).orElseThrow(), PAGE_SIZE + 1);
        if (rows.size() <= PAGE_SIZE) {
            return new PaymentPage(rows, null);
        }
        List<PagesRepository.PaymentRow> shown = rows.subList(0, PAGE_SIZE);
        PagesRepository.PaymentRow last = shown.get(PAGE_SIZE - 1);
        return new PaymentPage(shown, filter.queryAfter(new PaymentCursor(last.requestedAt(), last.id())));
    }

    /** A payment with its order items, cancels, PG calls and the ledger transactions it caused. */
    public PaymentDetail detail(Payment payment) {
        Order order = orders.getById(payment.orderPk());
        return new PaymentDetail(payment, order, pages.pgCalls(payment.id()),
                pages.ledgerTransactions(payments.ledgerReferences(payment)));
    }

    /** {@code nextQuery}: the query string of the next page, null on the last one. */
    public record PaymentPage(List<PagesRepository.PaymentRow> rows, String nextQuery) {
    }

    public record PaymentDetail(Payment payment, Order order, List<PagesRepository.PgCallRow> pgCalls,
            List<PagesRepository.LedgerTransactionRow> ledger) {
    }
}

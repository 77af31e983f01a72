package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.settlement.Settlement;
import java.util.List;
import org.springframework.stereotype.Component;

/** A settlement's page, the same for finance and its merchant: its amounts and the lines it was made of. */
@Component
public class SettlementPages {

    static final int LINES_SHOWN = 500;

    private final PagesRepository pages;

    SettlementPages(PagesRepository pages) {
        this.pages = pages;
    }

    public SettlementDetail detail(Settlement settlement) {
        return new SettlementDetail(settlement,
                pages.settlementLines(settlement.merchantId(), settlement.salesDate(), LINES_SHOWN), LINES_SHOWN);
    }

    public record SettlementDetail(Settlement settlement, List<PagesRepository.SettlementLineRow> lines, int linesShown) {

        public long linesInSettlement() {
            return (long) settlement.approvalCount() + settlement.cancelCount();
        }
    }
}

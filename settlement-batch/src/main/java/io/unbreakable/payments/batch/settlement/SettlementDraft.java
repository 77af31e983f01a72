package io.unbreakable.payments.batch.settlement;

import java.time.LocalDate;

/** A merchant's settlement as computed, before it is written. */
record SettlementDraft(SettlementInput input, SettlementFigures figures, LocalDate payoutDate) {
}

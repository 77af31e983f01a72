package io.unbreakable.payments.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Which statuses hold money: the cancel, settlement and wallet checks all ask {@link PaymentStatus#approved()}. */
class PaymentStatusTest {

    @Test
    void onlyAnApprovalAndWhatItsCancelsLeaveOfItAreApproved() {
        assertThat(EnumSet.allOf(PaymentStatus.class)).filteredOn(PaymentStatus::approved)
                .containsExactlyInAnyOrder(PaymentStatus.DONE, PaymentStatus.PARTIAL_CANCELED, PaymentStatus.CANCELED);
        assertThat(EnumSet.allOf(PaymentStatus.class)).filteredOn(status -> !status.approved())
                .containsExactlyInAnyOrder(PaymentStatus.IN_PROGRESS, PaymentStatus.ABORTED, PaymentStatus.UNKNOWN);
    }
}

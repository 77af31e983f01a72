package io.unbreakable.payments.payout;

import static io.unbreakable.payments.payout.PayoutStatus.FAILED;
import static io.unbreakable.payments.payout.PayoutStatus.HELD;
import static io.unbreakable.payments.payout.PayoutStatus.PAID;
import static io.unbreakable.payments.payout.PayoutStatus.RELEASED;
import static io.unbreakable.payments.payout.PayoutStatus.REQUESTED;
import static io.unbreakable.payments.payout.PayoutStatus.SCHEDULED;
import static io.unbreakable.payments.payout.PayoutStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class PayoutStatusTest {

    @Test
    void aPayoutMovesOnlyAlongTheLifecycleArrows() {
        assertThat(SCHEDULED.reachableFrom()).containsExactly(FAILED); // a retry after the account was fixed
        assertThat(HELD.reachableFrom()).containsExactlyInAnyOrder(SCHEDULED, RELEASED);
        assertThat(REQUESTED.reachableFrom()).containsExactlyInAnyOrder(SCHEDULED, RELEASED);
        assertThat(RELEASED.reachableFrom()).containsExactly(HELD);
        assertThat(UNKNOWN.reachableFrom()).containsExactly(REQUESTED);
        assertThat(PAID.reachableFrom()).containsExactlyInAnyOrder(REQUESTED, UNKNOWN);
        assertThat(FAILED.reachableFrom()).containsExactlyInAnyOrder(REQUESTED, UNKNOWN);
        assertThat(PAID).as("a paid payout never moves again")
                .matches(paid -> EnumSet.allOf(PayoutStatus.class).stream().noneMatch(to -> to.reachableFrom().contains(paid)));
    }

    @Test
    void anOpenPayoutsMoneyIsInClearingOrInTransitAndAnEndedOnesInNeither() {
        assertThat(EnumSet.allOf(PayoutStatus.class)).filteredOn(PayoutStatus::inClearing).containsExactlyInAnyOrder(SCHEDULED, HELD, RELEASED);
        assertThat(EnumSet.allOf(PayoutStatus.class)).filteredOn(PayoutStatus::inTransit).containsExactlyInAnyOrder(REQUESTED, UNKNOWN);
        assertThat(EnumSet.of(PAID, FAILED)).noneMatch(status -> status.inClearing() || status.inTransit());
    }
}

package io.unbreakable.payments.payout;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
class PayoutTestApplication {
}

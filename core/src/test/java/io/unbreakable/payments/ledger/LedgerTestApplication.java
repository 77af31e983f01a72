package io.unbreakable.payments.ledger;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
class LedgerTestApplication {
}

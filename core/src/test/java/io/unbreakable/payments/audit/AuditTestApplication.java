package io.unbreakable.payments.audit;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
class AuditTestApplication {
}

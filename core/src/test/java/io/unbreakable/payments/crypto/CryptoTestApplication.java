package io.unbreakable.payments.crypto;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
class CryptoTestApplication {
}

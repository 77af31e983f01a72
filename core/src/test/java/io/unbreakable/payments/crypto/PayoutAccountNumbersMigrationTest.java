package io.unbreakable.payments.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V72 on a database that holds plaintext account numbers (migrated up to V71 in a schema of its own):
 * afterwards both columns hold ciphertext that decrypts to the old numbers, and V73 refuses plaintext.
 */
@SpringBootTest(properties = "payments.embedded-database.data-directory=")
@Import(TestDatabaseConfiguration.class)
class PayoutAccountNumbersMigrationTest {

    private static final String SCHEMA = "v72_check";

    @Autowired
    DataSource dataSource;

    @Autowired
    DataCipher cipher;

    @AfterEach
    void dropSchema() {
        new JdbcTemplate(dataSource).execute("drop schema if exists " + SCHEMA + " cascade");
    }

    @Test
    void encryptsEveryStoredAccountNumberInPlaceAndThenRefusesPlaintext() {
        Flyway.configure().dataSource(dataSource).schemas(SCHEMA).locations("classpath:db/migration").target("71").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("set search_path to " + SCHEMA);
        jdbc.update("""
                insert into %1$s.merchant (name, business_type, fee_rate, secret_key_hash, secret_key_prefix,
                                           payout_bank_code, payout_account_number, payout_account_holder)
                values ('계좌 있음', 'INDIVIDUAL', 0.033, 'h1', 'test_sk_', '088', '110-123-456789', '홍길동'),
                       ('계좌 없음', 'BUSINESS', 0.033, 'h2', 'test_sk_', null, null, null)""".formatted(SCHEMA));
        jdbc.update("""
                insert into %1$s.settlement (merchant_id, sales_date, business_type, approval_count, approval_amount, cancel_count,
                       cancel_amount, sales_amount, fee, fee_vat, withholding_income_tax, withholding_local_tax, withholding,
                       carried_in_amount, carried_out_amount, payout_amount, payout_date, fee_rate)
                select id, date '2026-11-23', 'INDIVIDUAL', 1, 1000000, 0, 0, 1000000, 33000, 3300, 28910, 2890, 31800, 0, 0, 931900,
                       date '2026-11-24', 0.033 from %1$s.merchant where name = '계좌 있음'""".formatted(SCHEMA));
        jdbc.update("""
                insert into %1$s.payout (settlement_id, merchant_id, amount, payout_date, status, bank_code, account_number, account_holder)
                select s.id, s.merchant_id, 931900, date '2026-11-24', 'SCHEDULED', '088', '110-123-456789', '홍길동'
                  from %1$s.settlement s""".formatted(SCHEMA));

        Flyway.configure().dataSource(dataSource).schemas(SCHEMA).locations("classpath:db/migration")
                .javaMigrations(new V72__encrypt_payout_account_numbers(cipher)).load().migrate();

        List<Map<String, Object>> merchants = jdbc.queryForList(
                "select name, payout_account_number from " + SCHEMA + ".merchant order by id");
        String merchantNumber = (String) merchants.get(0).get("payout_account_number");
        String payoutNumber = jdbc.queryForObject("select account_number from " + SCHEMA + ".payout", String.class);
        assertThat(merchantNumber).startsWith("v1:").doesNotContain("456789");
        assertThat(payoutNumber).startsWith("v1:").doesNotContain("456789").isNotEqualTo(merchantNumber);
        assertThat(cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, merchantNumber)).isEqualTo("110-123-456789");
        assertThat(cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, payoutNumber)).isEqualTo("110-123-456789");
        assertThat(merchants.get(1).get("payout_account_number")).as("no account, nothing to encrypt").isNull();
        assertThatThrownBy(() -> jdbc.update("update " + SCHEMA + ".merchant set payout_account_number = '110-999-000000'"))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("merchant_payout_account_number_encrypted");
    }
}

package io.unbreakable.payments.batch.settlement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * The settlement benchmark's data set and yardstick in tests: bench/settlement's generator and set-based
 * settlement run through JDBC, so the tests and the benchmark share one generator and one independent answer.
 */
record SettlementDataSet(LocalDate salesDate, int merchants, int payments, int bigSellerPercent) {

    static final Path BENCH = Path.of("..", "bench", "settlement");

    /** A date's yardstick over whatever rows are there (nothing to generate). */
    static SettlementDataSet yardstickOf(LocalDate salesDate) {
        return new SettlementDataSet(salesDate, 0, 0, 0);
    }

    /** Writes the merchants, payments, cancels and their ledger postings. */
    void generate(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(script("generate.sql"));
        }
    }

    /** How many of the date's settlements differ from what the set-based SQL computes (or exist on one side only). */
    long rowsDifferingFromTheSetBasedSettlement(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(script("settle-set-based.sql"));
            try (ResultSet result = statement.executeQuery("""
                    select count(*) from expected_settlement e
                      full join (select * from settlement where sales_date = '%s') s on s.merchant_id = e.merchant_id
                     where s.id is null or e.merchant_id is null
                        or (s.approval_count, s.approval_amount, s.cancel_count, s.cancel_amount, s.sales_amount, s.fee,
                            s.fee_vat, s.withholding_income_tax, s.withholding_local_tax, s.withholding, s.carried_in_amount,
                            s.payout_amount, s.carried_out_amount)
                           is distinct from
                           (e.approval_count::int, e.approval_amount, e.cancel_count::int, e.cancel_amount, e.sales_amount, e.fee,
                            e.fee_vat, e.withholding_income_tax, e.withholding_local_tax, e.withholding, e.carried_in_amount,
                            e.payout_amount, e.carried_out_amount)
                    """.formatted(salesDate))) {
                result.next();
                long differing = result.getLong(1);
                statement.execute("drop table expected_settlement");
                return differing;
            }
        }
    }

    /**
     * Every row the job wrote, as text without generated ids (merchants by name): settlements, lines, payouts,
     * ledger totals per account and the settlement transactions, so two runs on the same data set compare to
     * the won and to the line.
     */
    static List<String> rowsWritten(DSLContext db) {
        return db.fetch("""
                select 'settlement ' || m.name || ' ' || (s.sales_date, s.business_type, s.approval_count, s.approval_amount,
                       s.cancel_count, s.cancel_amount, s.sales_amount, s.fee, s.fee_vat, s.withholding_income_tax,
                       s.withholding_local_tax, s.withholding, s.carried_in_amount, s.carried_out_amount, s.payout_amount,
                       s.payout_date, s.fee_rate)::text
                  from settlement s join merchant m on m.id = s.merchant_id
                union all
                select 'line ' || m.name || ' ' || (l.sales_date, l.kind, l.amount, l.fee_rate, l.occurred_at, l.payment_key, l.order_id)::text
                  from settlement_line l join merchant m on m.id = l.merchant_id
                union all
                select 'payout ' || m.name || ' ' || (p.amount, p.payout_date, p.status, p.report_csv_path is not null,
                       p.report_html_path is not null)::text
                  from payout p join merchant m on m.id = p.merchant_id
                union all
                select 'account ' || coalesce(m.name, a.code) || ' ' || (sum(e.amount) filter (where e.side = 'D'),
                       sum(e.amount) filter (where e.side = 'C'), count(*))::text
                  from ledger_entry e join ledger_account a on a.id = e.account_id left join merchant m on m.id = a.merchant_id
                 group by coalesce(m.name, a.code)
                union all
                select 'transaction ' || t.type || ' ' || count(*) from ledger_transaction t group by t.type
                 order by 1
                """).getValues(0, String.class);
    }

    /** The bench's psql script with its variables filled in. */
    private String script(String name) throws Exception {
        return Files.readString(BENCH.resolve(name))
                .replace(":'sales_date'", "'" + salesDate + "'")
                .replace(":merchants", Integer.toString(merchants))
                .replace(":payments", Integer.toString(payments))
                .replace(":cancel_every", "20")
                .replace(":big_percent", Integer.toString(bigSellerPercent));
    }
}

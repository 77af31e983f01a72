package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;

import io.unbreakable.payments.db.jooq.tables.records.PayoutRecord;
import io.unbreakable.payments.db.jooq.tables.records.SettlementRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import io.unbreakable.payments.webhook.WebhookOutbox;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * A payout report per payout, as a CSV a merchant opens in Excel (UTF-8 with BOM, header row, one
 * line per transaction, then the summary) and as a readable HTML page. Files are written to a
 * temporary name and moved into place, so a killed run never leaves half a report.
 */
class PayoutReports implements ItemWriter<Long> {

    private static final String BOM = "\uFEFF";

    private final DSLContext db;
    private final Path directory;
    private final Pacing pacing;
    private final WebhookOutbox webhooks;

    PayoutReports(DSLContext db, Path directory, Pacing pacing, WebhookOutbox webhooks) {
        this.db = db;
        this.directory = directory;
        this.pacing = pacing;
        this.webhooks = webhooks;
    }

    @Override
    public void write(Chunk<? extends Long> payoutIds) {
        write(List.copyOf(payoutIds.getItems()));
    }

    /**
     * Some payouts' reports in three statements: their settlements, all their lines, the paths written; then,
     * in the same transaction, SETTLEMENT_COMPLETED for the merchants that take it (its report links work
     * from this commit on).
     */
    void write(List<Long> ids) {
        pacing.pauseAfterTransaction();
        Result<Record> payouts = db.select(PAYOUT.asterisk(), SETTLEMENT.asterisk(), MERCHANT.NAME)
                .from(PAYOUT)
                .join(SETTLEMENT).on(SETTLEMENT.ID.eq(PAYOUT.SETTLEMENT_ID))
                .join(MERCHANT).on(MERCHANT.ID.eq(PAYOUT.MERCHANT_ID))
                .where(PAYOUT.ID.in(ids))
                .fetch();
        if (payouts.isEmpty()) {
            return;
        }
        List<LocalDate> salesDates = payouts.getValues(SETTLEMENT.SALES_DATE).stream().distinct().toList();
        Map<Long, List<Line>> linesByMerchant = lines(salesDates, payouts.getValues(PAYOUT.MERCHANT_ID));
        // one directory per date, not per merchant too: 10,000 directories a day cost more than their files' names
        salesDates.forEach(salesDate -> createDirectory(directory.resolve(salesDate.toString())));
        List<String> basePaths = new ArrayList<>(); // in the rows' order
        for (Record row : payouts) {
            PayoutRecord payout = row.into(PAYOUT);
            SettlementRecord settlement = row.into(SETTLEMENT);
            List<Line> lines = linesByMerchant.getOrDefault(payout.getMerchantId(), List.of());
            String base = settlement.getSalesDate() + "/merchant-" + payout.getMerchantId() + "-payout-" + payout.getId();
            writeAtomically(directory.resolve(base + ".csv"), out -> csv(out, settlement, payout, lines));
            writeAtomically(directory.resolve(base + ".html"), out -> html(out, row.get(MERCHANT.NAME), settlement, payout, lines));
            basePaths.add(base);
        }
        // one statement for the page: as a batch of single-row updates these took 1.5 s of the database's time a run
        db.execute("""
                update payout p set report_csv_path = w.base || '.csv', report_html_path = w.base || '.html'
                  from unnest(?::bigint[], ?::text[]) as w(id, base)
                 where p.id = w.id
                """, payouts.getValues(PAYOUT.ID).toArray(Long[]::new), basePaths.toArray(String[]::new));
        webhooks.settlementsCompleted(payouts.getValues(PAYOUT.ID));
    }

    /** One settled transaction as both reports show it: time (Seoul) and kind formatted once, not once per file. */
    private record Line(String time, String kind, String orderId, String paymentKey, long amount, String feeRate) {
    }

    /**
     * These merchants' lines of these dates, in time order, read straight off the result set: a report run
     * reads a million lines, and a jOOQ record plus a parsed OffsetDateTime per line was a quarter of its
     * CPU (JFR, docs/benchmarks.md). PostgreSQL gives the Seoul time as text ({@code YYYY-MM-DD HH:MI:SS},
     * cut at the second) and the fee rate as numeric text, formatted once per distinct rate. The merchants
     * of a page are usually neighbours (payouts are made in merchant order), so one index range is read
     * instead of a descent per merchant, and lines of a merchant in the range but not in the page are
     * skipped here; scattered pages (reports left missing by a failure) look their merchants up one by one.
     */
    private Map<Long, List<Line>> lines(List<LocalDate> salesDates, List<Long> merchantIds) {
        Set<Long> wanted = Set.copyOf(merchantIds);
        long first = Collections.min(wanted);
        long last = Collections.max(wanted);
        boolean neighbours = last - first < 2L * wanted.size();
        String merchants = neighbours ? "merchant_id between ? and ?" : "merchant_id = any(?)";
        return db.connectionResult(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    select merchant_id, (occurred_at at time zone 'Asia/Seoul')::text, kind, order_id, payment_key, amount, fee_rate::text
                      from settlement_line
                     where sales_date = any(?) and %s
                     order by merchant_id, occurred_at, id
                    """.formatted(merchants))) {
                select.setArray(1, connection.createArrayOf("date", salesDates.stream().map(java.sql.Date::valueOf).toArray()));
                if (neighbours) {
                    select.setLong(2, first);
                    select.setLong(3, last);
                } else {
                    select.setArray(2, connection.createArrayOf("bigint", wanted.toArray()));
                }
                Map<Long, List<Line>> byMerchant = new HashMap<>();
                Map<String, String> feeRates = new HashMap<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        long merchantId = row.getLong(1);
                        if (!wanted.contains(merchantId)) {
                            continue;
                        }
                        String feeRate = feeRates.computeIfAbsent(row.getString(7),
                                rate -> new BigDecimal(rate).stripTrailingZeros().toPlainString());
                        byMerchant.computeIfAbsent(merchantId, merchant -> new ArrayList<>())
                                .add(new Line(row.getString(2).substring(0, 19), row.getString(3).equals("APPROVAL") ? "승인" : "취소",
                                        row.getString(4), row.getString(5), row.getLong(6), feeRate));
                    }
                }
                return byMerchant;
            }
        });
    }

    private static void csv(Utf8 out, SettlementRecord s, PayoutRecord payout, List<Line> lines) {
        out.append(BOM);
        out.append("거래일시,구분,주문번호,결제키,금액,수수료율\r\n");
        for (Line line : lines) {
            out.append(line.time()).append(',').append(line.kind()).append(',').append(csvField(line.orderId())).append(',')
                    .append(csvField(line.paymentKey())).append(',').append(Long.toString(line.amount())).append(',')
                    .append(line.feeRate()).append("\r\n");
        }
        out.append("\r\n");
        for (String[] row : summary(s, payout)) {
            out.append(row[0] + "," + row[1] + "\r\n");
        }
    }

    /** Transaction rows leave out their optional end tags ({@code </td>}, {@code </tr>}): a quarter of the file. */
    private static void html(Utf8 out, String merchantName, SettlementRecord s, PayoutRecord payout, List<Line> lines) {
        out.append("<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>정산 내역서 " + s.getSalesDate()
                + "</title><style>body{font-family:sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}"
                + "td,th{border:1px solid #ccc;padding:.3rem .6rem}td:last-child{text-align:right}th{background:#f3f4f6}</style></head><body>");
        out.append("<h1>정산 내역서 (Payout report)</h1><p>" + escape(merchantName) + " · 매출일 " + s.getSalesDate()
                + " · 지급예정일 " + payout.getPayoutDate() + "</p><table><tbody>");
        for (String[] row : summary(s, payout)) {
            out.append("<tr><th>" + row[0] + "</th><td>" + row[2] + "</td></tr>");
        }
        out.append("</tbody></table><h2>거래 내역 (" + lines.size() + "건)</h2><table><thead><tr><th>거래일시</th><th>구분</th>"
                + "<th>주문번호</th><th>결제키</th><th>금액</th></tr></thead><tbody>");
        for (Line line : lines) {
            out.append("\n<tr><td>").append(line.time()).append("<td>").append(line.kind()).append("<td>")
                    .append(escape(line.orderId())).append("<td>").append(escape(line.paymentKey())).append("<td>")
                    .append(won(line.amount()));
        }
        out.append("</tbody></table></body></html>");
    }

    /** Label, plain number (CSV), formatted won (HTML). */
    private static List<String[]> summary(SettlementRecord s, PayoutRecord payout) {
        return List.of(
                row("승인금액 (approvals)", s.getApprovalAmount()),
                row("취소금액 (cancels)", -s.getCancelAmount()),
                row("매출합계 (sales)", s.getSalesAmount()),
                row("수수료 (fee, rate " + s.getFeeRate().stripTrailingZeros().toPlainString() + ")", -s.getFee()),
                row("수수료 부가세 (VAT on fee)", -s.getFeeVat()),
                row("원천징수 소득세 (income tax)", -s.getWithholdingIncomeTax()),
                row("원천징수 지방소득세 (local income tax)", -s.getWithholdingLocalTax()),
                row("이월 차감 (carried in)", s.getCarriedInAmount()),
                row("이월 (carried to next)", s.getCarriedOutAmount()),
                row("지급액 (payout)", payout.getAmount()));
    }

    private static String[] row(String label, long amountWon) {
        return new String[] {label, Long.toString(amountWon), won(amountWon)};
    }

    /** {@code ₩1,234,567} / {@code -₩5,000}, grouped by hand: a NumberFormat is not thread-safe, and one per call was a million a run. */
    static String won(long amountWon) {
        String digits = Long.toString(amountWon).substring(amountWon < 0 ? 1 : 0);
        StringBuilder text = new StringBuilder(digits.length() + 6).append(amountWon < 0 ? "-₩" : "₩");
        int lead = (digits.length() - 1) % 3 + 1;
        text.append(digits, 0, lead);
        for (int at = lead; at < digits.length(); at += 3) {
            text.append(',').append(digits, at, at + 3);
        }
        return text.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create payout report directory " + directory, e);
        }
    }

    /** Built whole in memory as UTF-8 and written at once. */
    private static void writeAtomically(Path target, Consumer<Utf8> content) {
        Utf8 bytes = new Utf8();
        content.accept(bytes);
        try {
            Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                bytes.writeTo(out);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write payout report " + target, e);
        }
    }

    /**
     * A file's bytes, encoded to UTF-8 as they are appended. In a StringBuilder, one Korean word per line
     * made the whole report UTF-16, and encoding it took a second pass: together a third of the report
     * threads' CPU in JFR (docs/benchmarks.md).
     */
    static final class Utf8 {

        private byte[] array = new byte[64 * 1024];
        private int size;

        Utf8 append(String text) {
            int length = text.length();
            ensure(3 * length);
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    array[size++] = (byte) c;
                } else if (c < 0x800) {
                    array[size++] = (byte) (0xC0 | c >> 6);
                    array[size++] = (byte) (0x80 | c & 0x3F);
                } else if (!Character.isSurrogate(c)) {
                    array[size++] = (byte) (0xE0 | c >> 12);
                    array[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                    array[size++] = (byte) (0x80 | c & 0x3F);
                } else {
                    // outside the BMP (an emoji in a merchant's name): the JDK's encoder does the pairs
                    byte[] rest = text.substring(i).getBytes(StandardCharsets.UTF_8);
                    ensure(rest.length);
                    System.arraycopy(rest, 0, array, size, rest.length);
                    size += rest.length;
                    return this;
                }
            }
            return this;
        }

        Utf8 append(char ascii) {
            ensure(1);
            array[size++] = (byte) ascii;
            return this;
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(array, 0, size);
        }

        private void ensure(int more) {
            if (size + more > array.length) {
                array = java.util.Arrays.copyOf(array, Math.max(array.length * 2, size + more));
            }
        }
    }
}

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
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import io.unbreakable.payments.webhook.WebhookOutbox;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * A payout report per payout, as a CSV a merchant opens in Excel (UTF-8 with BOM, header row, one
 * line per transaction, then the summary) and as a readable HTML page. The lines stream from a database
 * cursor into both files as they are read, so the heap a report takes does not grow with its seller's line
 * count (a seller with half of a 10M-payment day is one report). Files are written to a temporary name and
 * moved into place, so a killed run never leaves half a report.
 */
class PayoutReports implements ItemWriter<Long> {

    /** Lines a report's cursor fetches at a time. */
    static final int LINES_PER_FETCH = 1_000;
    private static final String BOM = "\uFEFF";

    private final DSLContext db;
    private final Path directory;
    private final Pacing pacing;
    private final WebhookOutbox webhooks;
    private final int linesPerFetch;

    PayoutReports(DSLContext db, Path directory, Pacing pacing, WebhookOutbox webhooks, int linesPerFetch) {
        this.db = db;
        this.directory = directory;
        this.pacing = pacing;
        this.webhooks = webhooks;
        this.linesPerFetch = linesPerFetch;
    }

    @Override
    public void write(Chunk<? extends Long> payoutIds) {
        write(List.copyOf(payoutIds.getItems()));
    }

    /**
     * Some payouts' reports, in the caller's transaction (the cursor needs one): their settlements in one
     * statement, then per sales date one cursor over their lines, then the paths written in one statement;
     * then SETTLEMENT_COMPLETED for the merchants that take it (its report links work from this commit on).
     */
    void write(List<Long> ids) {
        pacing.pauseAfterTransaction();
        Result<Record> payouts = db.select(PAYOUT.asterisk(), SETTLEMENT.asterisk(), MERCHANT.NAME)
                .from(PAYOUT)
                .join(SETTLEMENT).on(SETTLEMENT.ID.eq(PAYOUT.SETTLEMENT_ID))
                .join(MERCHANT).on(MERCHANT.ID.eq(PAYOUT.MERCHANT_ID))
                .where(PAYOUT.ID.in(ids))
                .orderBy(SETTLEMENT.SALES_DATE, PAYOUT.MERCHANT_ID) // the cursors' order: a merchant's lines once, in turn
                .fetch();
        if (payouts.isEmpty()) {
            return;
        }
        Map<LocalDate, List<Record>> byDate = payouts.stream()
                .collect(Collectors.groupingBy(row -> row.get(SETTLEMENT.SALES_DATE), LinkedHashMap::new, Collectors.toList()));
        List<String> basePaths = new ArrayList<>(); // in the rows' order
        byDate.forEach((salesDate, ofDate) -> {
            // one directory per date, not per merchant too: 10,000 directories a day cost more than their files' names
            createDirectory(directory.resolve(salesDate.toString()));
            basePaths.addAll(writeDate(salesDate, ofDate));
        });
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
     * The reports of one date's payouts (in merchant order) from one cursor over their merchants' lines, in
     * merchant and time order, read straight off the result set: a report run reads a million lines, and a
     * jOOQ record plus a parsed OffsetDateTime per line was a quarter of its CPU (JFR, docs/benchmarks.md).
     * PostgreSQL gives the Seoul time as text ({@code YYYY-MM-DD HH:MI:SS}, cut at the second) and the fee rate
     * as numeric text, formatted once per distinct rate. The merchants of a page are usually neighbours
     * (payouts are made in merchant order), so one index range is read instead of a descent per merchant, and
     * lines of a merchant in the range but not in the page are skipped here; scattered pages (reports left
     * missing by a failure) look their merchants up one by one. Returns each payout's path without extension.
     */
    private List<String> writeDate(LocalDate salesDate, List<Record> payouts) {
        long first = payouts.get(0).get(PAYOUT.MERCHANT_ID);
        long last = payouts.get(payouts.size() - 1).get(PAYOUT.MERCHANT_ID);
        boolean neighbours = last - first < 2L * payouts.size();
        String merchants = neighbours ? "merchant_id between ? and ?" : "merchant_id = any(?)";
        return db.connectionResult(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    select merchant_id, (occurred_at at time zone 'Asia/Seoul')::text, kind, order_id, payment_key, amount, fee_rate::text
                      from settlement_line
                     where sales_date = ? and %s
                     order by merchant_id, occurred_at, id
                    """.formatted(merchants))) {
                select.setFetchSize(linesPerFetch); // PostgreSQL then reads through a cursor (inside a transaction)
                select.setDate(1, java.sql.Date.valueOf(salesDate));
                if (neighbours) {
                    select.setLong(2, first);
                    select.setLong(3, last);
                } else {
                    select.setArray(2, connection.createArrayOf("bigint", payouts.stream().map(row -> row.get(PAYOUT.MERCHANT_ID)).toArray()));
                }
                try (ResultSet rows = select.executeQuery()) {
                    LineCursor lines = new LineCursor(rows);
                    List<String> basePaths = new ArrayList<>();
                    for (Record payout : payouts) {
                        basePaths.add(writeReport(payout, lines));
                    }
                    return basePaths;
                }
            }
        });
    }

    /** The lines of the cursor, merchant after merchant. */
    private static final class LineCursor {

        private final ResultSet rows;
        private final Map<String, String> feeRates = new HashMap<>();
        private boolean onRow;

        LineCursor(ResultSet rows) throws SQLException {
            this.rows = rows;
            this.onRow = rows.next();
        }

        /** Hands each line of this merchant (skipping those of merchants before it) to {@code write}; how many. */
        long forEachOf(long merchantId, Consumer<Line> write) throws SQLException {
            while (onRow && rows.getLong(1) < merchantId) {
                onRow = rows.next();
            }
            long count = 0;
            while (onRow && rows.getLong(1) == merchantId) {
                String feeRate = feeRates.computeIfAbsent(rows.getString(7),
                        rate -> new BigDecimal(rate).stripTrailingZeros().toPlainString());
                write.accept(new Line(rows.getString(2).substring(0, 19), rows.getString(3).equals("APPROVAL") ? "승인" : "취소",
                        rows.getString(4), rows.getString(5), rows.getLong(6), feeRate));
                count++;
                onRow = rows.next();
            }
            return count;
        }
    }

    /**
     * Both files of one payout, its lines streamed into them. The HTML states the line count before the lines:
     * it is the settlement's own count, and a report whose lines disagree with it is not put in place.
     */
    private String writeReport(Record row, LineCursor lines) throws SQLException {
        PayoutRecord payout = row.into(PAYOUT);
        SettlementRecord settlement = row.into(SETTLEMENT);
        String base = settlement.getSalesDate() + "/merchant-" + payout.getMerchantId() + "-payout-" + payout.getId();
        long lineCount = (long) settlement.getApprovalCount() + settlement.getCancelCount();
        try (ReportFile csv = new ReportFile(directory.resolve(base + ".csv"));
                ReportFile html = new ReportFile(directory.resolve(base + ".html"))) {
            csvHead(csv.text);
            htmlHead(html.text, row.get(MERCHANT.NAME), settlement, payout, lineCount);
            long written = lines.forEachOf(payout.getMerchantId(), line -> {
                csvLine(csv.text, line);
                htmlLine(html.text, line);
            });
            if (written != lineCount) {
                throw new IllegalStateException("payout report " + base + ": " + written + " lines, but the settlement counts "
                        + lineCount);
            }
            csvTail(csv.text, settlement, payout);
            htmlTail(html.text);
            csv.putInPlace();
            html.putInPlace();
        }
        return base;
    }

    private static void csvHead(Utf8 out) {
        out.append(BOM);
        out.append("거래일시,구분,주문번호,결제키,금액,수수료율\r\n");
    }

    private static void csvLine(Utf8 out, Line line) {
        out.append(line.time()).append(',').append(line.kind()).append(',').append(csvField(line.orderId())).append(',')
                .append(csvField(line.paymentKey())).append(',').append(Long.toString(line.amount())).append(',')
                .append(line.feeRate()).append("\r\n");
    }

    private static void csvTail(Utf8 out, SettlementRecord s, PayoutRecord payout) {
        out.append("\r\n");
        for (String[] row : summary(s, payout)) {
            out.append(row[0] + "," + row[1] + "\r\n");
        }
    }

    private static void htmlHead(Utf8 out, String merchantName, SettlementRecord s, PayoutRecord payout, long lineCount) {
        out.append("<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>정산 내역서 " + s.getSalesDate()
                + "</title><style>body{font-family:sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}"
                + "td,th{border:1px solid #ccc;padding:.3rem .6rem}td:last-child{text-align:right}th{background:#f3f4f6}</style></head><body>");
        out.append("<h1>정산 내역서 (Payout report)</h1><p>" + escape(merchantName) + " · 매출일 " + s.getSalesDate()
                + " · 지급예정일 " + payout.getPayoutDate() + "</p><table><tbody>");
        for (String[] row : summary(s, payout)) {
            out.append("<tr><th>" + row[0] + "</th><td>" + row[2] + "</td></tr>");
        }
        out.append("</tbody></table><h2>거래 내역 (" + lineCount + "건)</h2><table><thead><tr><th>거래일시</th><th>구분</th>"
                + "<th>주문번호</th><th>결제키</th><th>금액</th></tr></thead><tbody>");
    }

    /** Transaction rows leave out their optional end tags ({@code </td>}, {@code </tr>}): a quarter of the file. */
    private static void htmlLine(Utf8 out, Line line) {
        out.append("\n<tr><td>").append(line.time()).append("<td>").append(line.kind()).append("<td>")
                .append(escape(line.orderId())).append("<td>").append(escape(line.paymentKey())).append("<td>")
                .append(won(line.amount()));
    }

    private static void htmlTail(Utf8 out) {
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

    /** A report file written under a temporary name; moved into place once complete, removed if not. */
    private static final class ReportFile implements AutoCloseable {

        private final Path target;
        private final Path temporary;
        private final OutputStream out;
        final Utf8 text;
        private boolean inPlace;

        ReportFile(Path target) {
            this.target = target;
            this.temporary = target.resolveSibling(target.getFileName() + ".tmp");
            try {
                this.out = Files.newOutputStream(temporary);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write payout report " + target, e);
            }
            this.text = new Utf8(out);
        }

        void putInPlace() {
            try {
                text.flush();
                out.close();
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                inPlace = true;
            } catch (IOException e) {
                throw new UncheckedIOException("could not write payout report " + target, e);
            }
        }

        @Override
        public void close() {
            if (!inPlace) {
                try {
                    out.close();
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not remove the unfinished payout report " + temporary, e);
                }
            }
        }
    }

    /**
     * A file's text, encoded to UTF-8 into a buffer as it is appended and written out a buffer at a time.
     * Through a Writer or a StringBuilder, one Korean word per line made the text UTF-16 and encoding it took
     * a second pass: together a third of the report threads' CPU in JFR (docs/benchmarks.md).
     */
    static final class Utf8 {

        private final OutputStream out;
        private byte[] array = new byte[64 * 1024];
        private int size;

        Utf8(OutputStream out) {
            this.out = out;
        }

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

        /** Writes out what the buffer holds. */
        void flush() {
            try {
                out.write(array, 0, size);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write payout report", e);
            }
            size = 0;
        }

        /** Room for {@code more} bytes: the buffer written out first, and grown only for one text longer than it. */
        private void ensure(int more) {
            if (size + more > array.length) {
                flush();
                if (more > array.length) {
                    array = new byte[more];
                }
            }
        }
    }
}

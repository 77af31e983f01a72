package io.unbreakable.payments.payout;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The bank codes payouts may go to (금융결제원 3-digit codes of banks and the deposit-taking
 * institutions a transfer reaches), with their Korean names for pages and files.
 */
public final class KoreanBanks {

    private static final Map<String, String> NAMES = new TreeMap<>(Map.ofEntries(
            Map.entry("002", "KDB산업은행"), Map.entry("003", "IBK기업은행"), Map.entry("004", "KB국민은행"),
            Map.entry("007", "수협은행"), Map.entry("011", "NH농협은행"), Map.entry("012", "지역농축협"),
            Map.entry("020", "우리은행"), Map.entry("023", "SC제일은행"), Map.entry("027", "한국씨티은행"),
            Map.entry("031", "iM뱅크"), Map.entry("032", "부산은행"), Map.entry("034", "광주은행"),
            Map.entry("035", "제주은행"), Map.entry("037", "전북은행"), Map.entry("039", "경남은행"),
            Map.entry("045", "새마을금고"), Map.entry("048", "신협"), Map.entry("050", "저축은행"),
            Map.entry("064", "산림조합"), Map.entry("071", "우체국"), Map.entry("081", "하나은행"),
            Map.entry("088", "신한은행"), Map.entry("089", "케이뱅크"), Map.entry("090", "카카오뱅크"),
            Map.entry("092", "토스뱅크")));

    private KoreanBanks() {
    }

    public static boolean isKnown(String bankCode) {
        return bankCode != null && NAMES.containsKey(bankCode);
    }

    public static Optional<String> name(String bankCode) {
        return Optional.ofNullable(bankCode).map(NAMES::get);
    }

    public static Map<String, String> all() {
        return NAMES;
    }
}

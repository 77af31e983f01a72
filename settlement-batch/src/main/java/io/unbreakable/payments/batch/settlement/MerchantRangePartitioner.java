package io.unbreakable.payments.batch.settlement;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Cuts a sales date's merchants into ranges of about equal line counts, not equal merchant counts: a big
 * seller gets a range of its own instead of making one range, and with it one partition, slow. A merchant is
 * never split (its settlement is one row, one ledger transaction, one report), so a seller with half the
 * day's lines is one partition's whole work and the other partitions share the rest.
 *
 * <p>The ranges are computed once per job instance, from the date's approvals and cancels, and kept in the
 * job's execution context: the staging, settling and report steps partition the same ranges, and a
 * restarted step gets each unfinished partition's own range back from its step execution.
 */
class MerchantRangePartitioner implements Partitioner {

    static final String RANGES = "settlement.merchantRanges";
    static final String FROM = "merchantFrom";
    static final String TO = "merchantTo";

    private final SettlementRepository settlements;

    MerchantRangePartitioner(SettlementRepository settlements) {
        this.settlements = settlements;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        StepExecution manager = StepSynchronizationManager.getContext().getStepExecution();
        ExecutionContext job = manager.getJobExecution().getExecutionContext();
        List<MerchantRange> ranges;
        if (job.containsKey(RANGES)) {
            ranges = MerchantRange.parse(job.getString(RANGES));
        } else {
            LocalDate salesDate = manager.getJobParameters().getLocalDate("date");
            ranges = balance(settlements.linesByMerchant(salesDate), gridSize);
            job.putString(RANGES, MerchantRange.format(ranges));
        }
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int i = 0; i < ranges.size(); i++) {
            ExecutionContext partition = new ExecutionContext();
            partition.putLong(FROM, ranges.get(i).from());
            partition.putLong(TO, ranges.get(i).to());
            partitions.put("partition" + i, partition);
        }
        return partitions;
    }

    /** The range a partition's step execution was given. */
    static MerchantRange rangeOf(StepExecution partition) {
        ExecutionContext context = partition.getExecutionContext();
        return new MerchantRange(context.getLong(FROM), context.getLong(TO));
    }

    /** A merchant and how many lines (approvals and cancels) its settlement of the date takes. */
    record MerchantLines(long merchantId, long lines) {
    }

    /**
     * {@code count} ranges covering every merchant id, cut between merchants (in id order) so that each holds
     * about its share of the lines. A seller with at least a whole range's share (total / count) is a range of
     * its own; the runs of smaller sellers between such sellers share the other ranges in proportion to their
     * lines (every run at least one), and each run is cut by {@link #cuts}. Ranges with no merchant are empty.
     * With more runs than ranges (many big sellers between small ones), the whole list is cut by {@link #cuts}.
     */
    static List<MerchantRange> balance(List<MerchantLines> merchants, int count) {
        long total = merchants.stream().mapToLong(MerchantLines::lines).sum();
        // runs in id order: a big seller alone, or consecutive smaller sellers
        List<List<MerchantLines>> runs = new ArrayList<>();
        List<Boolean> big = new ArrayList<>();
        for (MerchantLines merchant : merchants) {
            boolean isBig = merchant.lines() * count >= total && total > 0;
            if (isBig || runs.isEmpty() || big.get(big.size() - 1)) {
                runs.add(new ArrayList<>());
                big.add(isBig);
            }
            runs.get(runs.size() - 1).add(merchant);
        }
        List<Long> starts = new ArrayList<>();
        if (runs.size() > count || runs.isEmpty()) {
            starts.addAll(cuts(merchants, count));
        } else {
            int[] ranges = new int[runs.size()];
            Arrays.fill(ranges, 1);
            for (int spare = count - runs.size(); spare > 0; spare--) {
                // the next range goes to the run of small sellers with the most lines per range
                int most = -1;
                for (int i = 0; i < runs.size(); i++) {
                    if (!big.get(i) && (most < 0 || lines(runs.get(i)) * ranges[most] > lines(runs.get(most)) * ranges[i])) {
                        most = i;
                    }
                }
                if (most < 0) {
                    break;
                }
                ranges[most]++;
            }
            for (int i = 0; i < runs.size(); i++) {
                starts.addAll(cuts(runs.get(i), ranges[i]));
            }
        }
        starts.set(0, MerchantRange.ALL.from());
        List<MerchantRange> result = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            result.add(new MerchantRange(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : MerchantRange.ALL.to()));
        }
        while (result.size() < count) {
            result.add(new MerchantRange(MerchantRange.ALL.to(), MerchantRange.ALL.to()));
        }
        return result;
    }

    /**
     * Where at most {@code count} ranges over these merchants start (the first merchant's id first): each range
     * closes once it reaches the lines still unassigned divided by the ranges still open, and a merchant that
     * would overshoot that more than it falls short without it opens the next range instead.
     */
    private static List<Long> cuts(List<MerchantLines> merchants, int count) {
        long unassigned = lines(merchants);
        List<Long> starts = new ArrayList<>(List.of(merchants.isEmpty() ? MerchantRange.ALL.from() : merchants.get(0).merchantId()));
        long open = 0;
        for (int i = 0; i < merchants.size() && starts.size() < count; i++) {
            MerchantLines merchant = merchants.get(i);
            double share = (double) unassigned / (count - starts.size() + 1);
            if (open > 0 && open + merchant.lines() - share > share - open) {
                starts.add(merchant.merchantId());
                unassigned -= open;
                open = 0;
                if (starts.size() == count) {
                    break;
                }
                share = (double) unassigned / (count - starts.size() + 1);
            }
            open += merchant.lines();
            if (open >= share && i + 1 < merchants.size()) {
                starts.add(merchants.get(i + 1).merchantId());
                unassigned -= open;
                open = 0;
            }
        }
        return starts;
    }

    private static long lines(List<MerchantLines> merchants) {
        return merchants.stream().mapToLong(MerchantLines::lines).sum();
    }
}

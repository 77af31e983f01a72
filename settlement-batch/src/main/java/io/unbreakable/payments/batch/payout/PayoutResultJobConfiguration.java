package io.unbreakable.payments.batch.payout;

import io.unbreakable.payments.batch.job.JobSummaryListener;
import io.unbreakable.payments.payout.BankTransferFile;
import io.unbreakable.payments.payout.PayoutLifecycle;
import io.unbreakable.payments.payout.PayoutStatus;
import io.unbreakable.payments.payout.PayoutTransition;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code payoutResultJob file=<the bank's result file>}: applies a bank result file ({@link BankTransferFile})
 * in one transaction, all of it or none. The file is refused, the job fails and nothing changes, when its
 * checksum, count or total is off, or any line names a payout that was not sent in a transfer file, with
 * another amount, or that already ended otherwise. Lines already applied (the same file imported again)
 * are skipped, so a second import changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class PayoutResultJobConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PayoutResultJobConfiguration.class);

    @Bean
    Job payoutResultJob(JobRepository jobs, Step applyPayoutResults, JobSummaryListener summary) {
        return new JobBuilder("payoutResultJob", jobs).start(applyPayoutResults).listener(summary).build();
    }

    @Bean
    Step applyPayoutResults(JobRepository jobs, PlatformTransactionManager tx, PayoutRepository payouts, PayoutLifecycle lifecycle) {
        return new StepBuilder("applyPayoutResults", jobs).tasklet((contribution, context) -> {
            Object file = context.getStepContext().getJobParameters().get("file");
            if (file == null) {
                throw new IllegalArgumentException("payoutResultJob needs file=<path of the bank's result file>");
            }
            List<BankTransferFile.Result> results = BankTransferFile.parseResults(read(Path.of(file.toString())));
            Map<Long, PayoutRepository.Sent> sent = payouts.lockSent(results.stream().map(BankTransferFile.Result::payoutId).toList())
                    .stream().collect(Collectors.toMap(PayoutRepository.Sent::payoutId, Function.identity()));
            List<PayoutTransition> transitions = new ArrayList<>();
            int alreadyApplied = 0;
            for (BankTransferFile.Result result : results) {
                PayoutRepository.Sent payout = sent.get(result.payoutId());
                String refusal = refusal(result, payout);
                if (refusal != null) {
                    throw new IllegalArgumentException("result file " + file + " refused, nothing applied: payout " + result.payoutId()
                            + " " + refusal);
                }
                if (payout.status().equals(result.status().name())) {
                    alreadyApplied++;
                } else {
                    transitions.add(result.status() == PayoutStatus.PAID ? PayoutTransition.paid(result.payoutId())
                            : PayoutTransition.failed(result.payoutId(), result.reasonCode(), result.reasonMessage()));
                }
            }
            int applied = lifecycle.transition(transitions).size();
            contribution.incrementWriteCount(applied);
            log.info("result file {}: {} payouts applied ({} paid, {} failed), {} already applied before", file, applied,
                    transitions.stream().filter(t -> t.to() == PayoutStatus.PAID).count(),
                    transitions.stream().filter(t -> t.to() == PayoutStatus.FAILED).count(), alreadyApplied);
            return RepeatStatus.FINISHED;
        }, tx).build();
    }

    /** Why a line cannot be applied to its payout, or null when it can (or already was). */
    private static String refusal(BankTransferFile.Result result, PayoutRepository.Sent payout) {
        if (payout == null) {
            return "is unknown here";
        }
        if (!"BANK_FILE".equals(payout.gateway())) {
            return "was not sent in a transfer file (gateway " + payout.gateway() + ")";
        }
        if (payout.amountWon() != result.amountWon()) {
            return "was sent for " + payout.amountWon() + " won, the file says " + result.amountWon();
        }
        boolean open = payout.status().equals("REQUESTED") || payout.status().equals("UNKNOWN");
        if (!open && !payout.status().equals(result.status().name())) {
            return "is " + payout.status() + ", the file says " + result.status();
        }
        return null;
    }

    private static String read(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("result file " + file + " is not UTF-8", e);
        }
    }
}

package io.unbreakable.payments.batch.job;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/** Logs a step's progress while it runs: done / total, rate and ETA, at most every few seconds. */
public class ProgressListener implements StepExecutionListener, ItemWriteListener<Object> {

    private static final Logger log = LoggerFactory.getLogger(ProgressListener.class);
    private static final long EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    private final String what;
    private final LongSupplier total;
    private String stepName;
    private long expected;
    private long done;
    private long startedNanos;
    private long startedCpuNanos;
    private long lastLogNanos;

    public ProgressListener(String what, LongSupplier total) {
        this.what = what;
        this.total = total;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        stepName = stepExecution.getStepName();
        expected = total.getAsLong();
        done = 0;
        startedNanos = System.nanoTime();
        startedCpuNanos = processCpuNanos();
        lastLogNanos = startedNanos;
        log.info("{}: {} {} to do", stepName, expected, what);
    }

    @Override
    public void afterWrite(Chunk<?> items) {
        done += items.size();
        long now = System.nanoTime();
        if (now - lastLogNanos >= EVERY_NANOS) {
            lastLogNanos = now;
            double seconds = (now - startedNanos) / 1e9;
            double rate = done / Math.max(seconds, 1e-9);
            long etaSeconds = rate > 0 ? (long) ((expected - done) / rate) : -1;
            log.info("{}: {}/{} {} ({}%), {}/s, ETA {}s", stepName, done, expected, what,
                    expected == 0 ? 100 : done * 100 / expected, Math.round(rate), etaSeconds);
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        double cpuSeconds = (processCpuNanos() - startedCpuNanos) / 1e9;
        // this JVM's CPU while the step ran: what the step costs, however busy the machine was
        log.info("{}: {} {} in {} s ({}/s), {} s of this process's CPU", stepName, done, what, String.format("%.1f", seconds),
                Math.round(done / Math.max(seconds, 1e-9)), String.format("%.1f", cpuSeconds));
        return stepExecution.getExitStatus();
    }
}

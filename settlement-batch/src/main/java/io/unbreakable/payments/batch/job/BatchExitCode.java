package io.unbreakable.payments.batch.job;

/** The process exit codes of a one-shot job run, for cron and Kubernetes to act on. */
public enum BatchExitCode {
    /** The job completed (or had already completed for these parameters: nothing to do). */
    COMPLETED(0),
    /** The job failed; a rerun with the same parameters restarts where it stopped. */
    FAILED(1),
    /** Unknown job name or bad parameters: nothing ran. */
    USAGE(2),
    /** Skipped: another run holds the lock for this job and date. */
    LOCKED(3),
    /** The job ran and found discrepancies (reconciliation): someone must look. */
    DISCREPANCIES_FOUND(4);

    private final int code;

    BatchExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}

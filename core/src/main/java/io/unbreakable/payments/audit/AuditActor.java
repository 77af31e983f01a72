package io.unbreakable.payments.audit;

/**
 * Who made a change: a console user (by name), finance's admin bearer token, a merchant (its API key
 * or its portal session, by merchant id), a batch job (by job name), or nobody yet (a sign-in attempt).
 */
public record AuditActor(Type type, String id) {

    public enum Type { CONSOLE_USER, ADMIN_TOKEN, MERCHANT, BATCH_JOB, ANONYMOUS }

    public AuditActor {
        if (type == null || id == null || id.isBlank()) {
            throw new IllegalArgumentException("an audit actor needs a type and an id, was " + type + " " + id);
        }
    }

    public static AuditActor consoleUser(String username) {
        return new AuditActor(Type.CONSOLE_USER, username);
    }

    /** There is one admin token: every call with it is the same actor. */
    public static AuditActor adminToken() {
        return new AuditActor(Type.ADMIN_TOKEN, "admin");
    }

    public static AuditActor merchant(long merchantId) {
        return new AuditActor(Type.MERCHANT, Long.toString(merchantId));
    }

    public static AuditActor batchJob(String jobName) {
        return new AuditActor(Type.BATCH_JOB, jobName);
    }

    public static AuditActor anonymous() {
        return new AuditActor(Type.ANONYMOUS, "-");
    }
}

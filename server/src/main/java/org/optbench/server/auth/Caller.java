package org.optbench.server.auth;

import io.grpc.Context;

/**
 * Who is calling: a user (an admin sees every sweep) or the worker of one trial attempt, whose
 * calls may only report on that trial.
 *
 * @param user    the user name, or "worker" for worker calls
 * @param admin   whether the user may see and cancel every user's sweeps
 * @param trialId the trial a worker reports on; null for users
 */
public record Caller(String user, boolean admin, String trialId) {

    /** The caller of the current call, set by {@link AuthInterceptor}. */
    public static final Context.Key<Caller> KEY = Context.key("optbench-caller");

    public static Caller current() {
        return KEY.get();
    }

    public boolean isWorker() {
        return trialId != null;
    }

    /** Whether this caller may see or change a sweep owned by {@code owner}. */
    public boolean owns(String owner) {
        return admin || user.equals(owner);
    }
}

package org.optbench.server.auth;

import io.grpc.Context;
import java.util.function.BooleanSupplier;

/**
 * Who is calling: a user (an admin sees every sweep) or the worker of one trial attempt, whose
 * calls may only report on that trial.
 *
 * @param user     the user name, or "worker" for worker calls
 * @param admin    whether the user may see and cancel every user's sweeps
 * @param trialId  the trial a worker reports on; null for users
 * @param local    whether this is the CLI's embedded user, who owns the machine (and may name its files)
 * @param validity whether the credential of the call is still valid (a revoked token ends its streams)
 */
public record Caller(String user, boolean admin, String trialId, boolean local, BooleanSupplier validity) {

    /** The embedded CLI's user: the local admin, always valid. */
    public static Caller localUser() {
        return new Caller("local", true, null, true, () -> true);
    }

    /** The worker of one trial attempt. */
    public static Caller worker(String trialId) {
        return new Caller("worker", false, trialId, false, () -> true);
    }

    /**
     * The user of a bearer token in {@code users}, whose credential stays good while the token
     * does (revoked or expired, it ends the streams and sessions opened with it); empty for an
     * unknown token.
     */
    public static java.util.Optional<Caller> forToken(TokenFile users, String token) {
        return users.lookup(token).map(entry -> new Caller(entry.user(), entry.admin(), null, false,
                () -> users.lookup(token).isPresent()));
    }

    /** Whether the call's credential is still good (checked again while a stream stays open). */
    public boolean stillValid() {
        return validity.getAsBoolean();
    }

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

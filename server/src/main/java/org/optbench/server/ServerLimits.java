package org.optbench.server;

/**
 * What one request or user may ask of the server.
 *
 * @param maxMessageBytes    the largest request the server accepts (specs and reports)
 * @param maxTrialsPerSweep  the most trials one sweep may expand to
 * @param maxStreamsPerUser  watch streams one user may hold open at once
 * @param watchQueue         events queued per watcher before it is resynchronised instead
 * @param maxReportRows      metric rows in one worker report
 * @param maxUploadBytes     the largest weights file a user may upload
 * @param maxWorkers         trials' workers at once on the server, across sweeps and users (0: no limit
 *                           beyond each sweep's parallel)
 * @param userMaxWorkers     workers at once per user (0: no limit beyond maxWorkers)
 * @param userMaxSweeps      unfinished sweeps per user (0: no limit)
 * @param userMaxTrials      trials a user's sweeps may hold in all (0: no limit)
 * @param userMaxUploadBytes bytes of weights, every version counted, a user may keep (0: no limit)
 * @param maxWorkerMemory    bytes the running workers' heaps may add up to (0: no limit)
 */
public record ServerLimits(int maxMessageBytes, int maxTrialsPerSweep, int maxStreamsPerUser, int watchQueue,
                           int maxReportRows, long maxUploadBytes, int maxWorkers, int userMaxWorkers, int userMaxSweeps,
                           long userMaxTrials, long userMaxUploadBytes, long maxWorkerMemory) {

    /** Limits with no cap on workers beyond each sweep's parallel (the CLI's embedded server). */
    public ServerLimits(int maxMessageBytes, int maxTrialsPerSweep, int maxStreamsPerUser, int watchQueue,
                        int maxReportRows, long maxUploadBytes) {
        this(maxMessageBytes, maxTrialsPerSweep, maxStreamsPerUser, watchQueue, maxReportRows, maxUploadBytes, 0, 0, 0, 0, 0, 0);
    }

    /** Limits with worker caps and no user quotas. */
    public ServerLimits(int maxMessageBytes, int maxTrialsPerSweep, int maxStreamsPerUser, int watchQueue,
                        int maxReportRows, long maxUploadBytes, int maxWorkers, int userMaxWorkers) {
        this(maxMessageBytes, maxTrialsPerSweep, maxStreamsPerUser, watchQueue, maxReportRows, maxUploadBytes, maxWorkers,
                userMaxWorkers, 0, 0, 0, 0);
    }


    /** Uploads up to 1 GiB: the weights of a 250M-parameter model. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 1L << 30;

    public static ServerLimits defaults() {
        return new ServerLimits(4 << 20, 10_000, 2_000, 1_024, 100_000, DEFAULT_MAX_UPLOAD_BYTES);
    }
}

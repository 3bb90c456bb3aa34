package org.optbench.sweep;

/**
 * One user's own limits, from the server's token file ({@code max-workers=2 max-sweeps=5
 * max-trials=20000 max-upload-bytes=8g} on the user's line); a null limit is the server's
 * default for every user.
 *
 * @param maxWorkers     workers at once (capped by the server's --max-workers), or null
 * @param maxSweeps      unfinished sweeps, or null
 * @param maxTrials      trials the user's sweeps may hold, or null
 * @param maxUploadBytes bytes of weights, every version counted, or null
 */
public record UserQuota(Integer maxWorkers, Integer maxSweeps, Long maxTrials, Long maxUploadBytes) {

    /** No limit of the user's own: the server's defaults hold. */
    public static final UserQuota NONE = new UserQuota(null, null, null, null);
}

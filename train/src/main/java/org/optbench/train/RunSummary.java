package org.optbench.train;

/**
 * The result of a run, as its last output line and its result file carry it: how it ended (and
 * the step it diverged at), the last finite training loss, the final and best validation loss
 * and bits per byte (null when not measured), tokens trained on, throughput, optimizer state
 * size, the device that ran it, and every setting it resolved to.
 *
 * @param status              completed or diverged
 * @param steps               the last step run
 * @param divergedAtStep      the step whose loss was not finite or crossed the threshold, or null
 * @param finalTrainLoss      the last finite training loss
 * @param finalValLoss        the validation loss at the last evaluation
 * @param bestValLoss         the lowest validation loss of the run
 * @param finalValBpb         the last evaluation in bits per byte
 * @param tokens              tokens trained on
 * @param tokensPerS          throughput of this process's steps
 * @param optimizerStateBytes optimizer state in bytes
 * @param device              the device's description
 * @param config              the resolved settings
 */
public record RunSummary(String status, int steps, Integer divergedAtStep, Double finalTrainLoss, Double finalValLoss,
                         Double bestValLoss, Double finalValBpb, long tokens, long tokensPerS, long optimizerStateBytes,
                         String device, RunConfig config) {

    public static final String COMPLETED = "completed";
    public static final String DIVERGED = "diverged";

    public boolean diverged() {
        return DIVERGED.equals(status);
    }
}

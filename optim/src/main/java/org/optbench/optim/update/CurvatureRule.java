package org.optbench.optim.update;

import org.optbench.kernels.ElementwiseKernel;

/**
 * An element-wise rule that also keeps a curvature estimate, refreshed every
 * {@link #curvatureInterval()} steps from a separate backward pass the training loop runs (Sophia's
 * Gauss-Newton-Bartlett estimate): the kernel pair that folds that pass's gradient into the rule's
 * state, over the same parameters and state buffers as the step kernel.
 */
public interface CurvatureRule extends ElementwiseRule {

    /** Steps between estimates: after steps k, 2k, ... */
    int curvatureInterval();

    /** The kernel pair that folds an estimate's gradient into the state. */
    ElementwiseKernel curvatureKernel();

    /** Its scalars, for an estimate from the gradient of a batch of {@code tokens} tokens. */
    float[] curvatureScalars(long tokens);
}

package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.ElementwiseKernel;

/**
 * An update rule that treats every element alike (SGD, AdamW, Lion, Signum, momentum): its kernel
 * pair, the names of its per-element state buffers, and the scalars its kernel takes at a step.
 * Since no element depends on another, one {@link ElementwiseUpdate} runs it over every parameter
 * of a group that lies side by side in the flat buffer, in one launch.
 */
public interface ElementwiseRule {

    /** The kernel pair: the CPU body and its OpenCL twin. */
    ElementwiseKernel kernel();

    /** The state buffers' names as checkpoints store them, e.g. exp_avg, exp_avg_sq. */
    List<String> stateNames();

    /** The kernel's scalars at {@code step} (from 1) with this step's lr, decay factor and gradient scale. */
    float[] scalars(int step, float lr, float decay, float gradScale);
}

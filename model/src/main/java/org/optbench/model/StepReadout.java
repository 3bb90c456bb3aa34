package org.optbench.model;

import java.util.List;

/**
 * What a training step learns from the device in its one read-back: the loss of each
 * micro-batch, in order, and the L2 norm of the accumulated gradients before clipping.
 */
public record StepReadout(List<LossValue> losses, double gradientNorm) {

    public StepReadout {
        losses = List.copyOf(losses);
    }
}

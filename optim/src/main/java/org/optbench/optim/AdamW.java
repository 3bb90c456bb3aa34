package org.optbench.optim;

import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;

/**
 * AdamW (Loshchilov and Hutter, 2019) over one flat parameter buffer, as the study runs it:
 * bias-corrected moments, eps after the square root, decoupled weight decay applied before the
 * update. State: first and second moments (2 floats per parameter), on the parameters' backend.
 */
public final class AdamW {

    /** Hyperparameters, validated at construction; paper defaults b1 0.9, b2 0.95, eps 1e-15, wd 0. */
    public record Config(float lr, float beta1, float beta2, float eps, float wd) {

        public Config {
            HyperparameterException.check("lr", lr, 0f, false, Float.MAX_VALUE, true);
            HyperparameterException.check("beta1", beta1, 0f, true, 1f, false);
            HyperparameterException.check("beta2", beta2, 0f, true, 1f, false);
            HyperparameterException.check("eps", eps, 0f, true, 1f, true);
            HyperparameterException.check("wd", wd, 0f, true, 1f, true);
        }

        public static Config paper(float lr) {
            return new Config(lr, 0.9f, 0.95f, 1e-15f, 0f);
        }
    }

    private final Backend backend;
    private final FloatTensor params;
    private final FloatTensor grads;
    private final FloatTensor m;  // (P)
    private final FloatTensor v;  // (P)
    private final long n;
    private final Config config;

    public AdamW(Backend backend, FloatTensor params, FloatTensor grads, Config config) {
        this.backend = backend;
        this.params = params;
        this.grads = grads;
        this.n = params.length();
        this.m = backend.allocate(n);
        this.v = backend.allocate(n);
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /**
     * Step {@code step} (from 1) at learning rate {@code lr}, gradients multiplied by
     * {@code gradScale} (the clipping coefficient). Weight decay uses the torch convention
     * {@code p *= 1 - lr * wd}.
     */
    public void step(int step, float lr, float gradScale) {
        float decay = 1f - lr * config.wd();
        backend.adamwUpdate(params, grads, m, v, n, lr, config.beta1(), config.beta2(), config.eps(), decay,
                gradScale, step);
    }

    /** Bytes of optimizer state: two float32 moments per parameter. */
    public long stateBytes() {
        return 2L * 4L * n;
    }
}

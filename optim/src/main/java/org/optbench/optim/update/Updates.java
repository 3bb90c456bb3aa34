package org.optbench.optim.update;

import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.HyperparameterException;
import org.optbench.optim.HyperparameterValues;

/** Builds the {@link TensorUpdate} of each optimizer for one parameter tensor. */
public final class Updates {

    private Updates() {
    }

    public static TensorUpdate sgd(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new SgdUpdate(be, p, g, spec.shape(), hp.number("momentum"), hp.flag("nesterov"));
    }

    public static TensorUpdate adamw(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new AdamWUpdate(be, p, g, spec.shape(), hp.number("beta1"), hp.number("beta2"), hp.number("eps"));
    }

    public static TensorUpdate adafactor(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g,
                                         HyperparameterValues hp) {
        float b1 = hp.number("beta1");
        float b2 = hp.number("beta2");
        float eps = hp.number("eps");
        if (spec.rank() == 2) {
            if (hp.flag("neuron_only")) {
                return new BlockAdamUpdate(be, p, g, spec.shape(), spec.dim(1), b1, b2, eps);
            }
            return new AdafactorUpdate(be, p, g, spec.shape(), b1, b2, eps);
        }
        if (hp.word("vector_mode").equals("scalar")) {
            return new BlockAdamUpdate(be, p, g, spec.shape(), Math.toIntExact(spec.count()), b1, b2, eps);
        }
        return new AdamWUpdate(be, p, g, spec.shape(), b1, b2, eps);
    }

    public static TensorUpdate lion(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new LionUpdate(be, p, g, spec.shape(), hp.number("beta1"), hp.number("beta2"));
    }

    public static TensorUpdate signum(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new LionUpdate(be, p, g, spec.shape(), hp.number("beta1"), hp.number("beta1"));
    }

    public static TensorUpdate adalayer(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g,
                                        HyperparameterValues hp) {
        return new BlockAdamUpdate(be, p, g, spec.shape(), Blocks.adalayerBlockSize(spec), hp.number("beta1"),
                hp.number("beta2"), hp.number("eps"));
    }

    public static TensorUpdate momentum(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g,
                                        HyperparameterValues hp) {
        return new MomentumUpdate(be, p, g, spec.shape(), hp.number("beta1"));
    }

    public static TensorUpdate muon(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        if (spec.rank() != 2) {
            throw new HyperparameterException("muon orthogonalises 2-D matrices; '" + spec.name() + "' has shape "
                    + spec.shapeString() + ": put it in an adamw group");
        }
        return new MuonUpdate(be, p, g, spec.shape(), Blocks.muonBlockRows(spec), hp.number("momentum"));
    }
}

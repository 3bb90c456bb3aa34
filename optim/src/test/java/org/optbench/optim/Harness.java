package org.optbench.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;

/** Named parameter tensors of any shapes on a backend, with an optimizer over them, for tests. */
final class Harness {

    final Backend backend;
    final List<ParameterSpec> specs = new ArrayList<>();
    final FloatTensor params;
    final FloatTensor grads;
    final Optimizer optimizer;

    /** shapes: name followed by its dimensions, e.g. ("w", new int[] {2, 3}). */
    Harness(Backend backend, GroupRules rules, Map<String, Object> run, LrSchedule schedule, Object... namesAndShapes) {
        this.backend = backend;
        long offset = 0;
        for (int i = 0; i < namesAndShapes.length; i += 2) {
            ParameterSpec spec = new ParameterSpec((String) namesAndShapes[i], (int[]) namesAndShapes[i + 1], offset);
            specs.add(spec);
            offset += spec.count();
        }
        this.params = backend.allocate(offset);
        this.grads = backend.allocate(offset);
        this.optimizer = new Optimizer(backend, rules.resolve(specs, run), params, grads, schedule);
    }

    Harness(Backend backend, String optimizer, Map<String, Object> run, Object... namesAndShapes) {
        this(backend, GroupRules.named(optimizer), run, LrSchedule.constant(), namesAndShapes);
    }

    void set(String name, float... values) {
        write(params, name, values);
    }

    void grad(String name, float... values) {
        write(grads, name, values);
    }

    float[] get(String name) {
        ParameterSpec spec = spec(name);
        float[] out = new float[(int) spec.count()];
        backend.read(out, 0, params.slice(spec.offset(), spec.count()), out.length);
        return out;
    }

    void step(int t, float gradScale) {
        optimizer.step(t, gradScale);
    }

    private void write(FloatTensor flat, String name, float[] values) {
        ParameterSpec spec = spec(name);
        if (values.length != spec.count()) {
            throw new IllegalArgumentException(name + " needs " + spec.count() + " values");
        }
        backend.write(flat.slice(spec.offset(), spec.count()), values, 0, values.length);
    }

    ParameterSpec spec(String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}

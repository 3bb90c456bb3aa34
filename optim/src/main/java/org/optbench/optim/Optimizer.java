package org.optbench.optim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.model.io.SafetensorsException;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.TensorEntry;
import org.optbench.optim.update.ElementwiseRule;
import org.optbench.optim.update.ElementwiseUpdate;
import org.optbench.optim.update.StateBuffer;
import org.optbench.optim.update.TensorUpdate;

/**
 * The optimizer of a run: resolved parameter groups, each with its update rule per tensor, its
 * peak LR under a shared schedule shape and its weight-decay convention, over the flat parameter
 * and gradient buffers of a model. A step is one fused kernel per tensor, or for an element-wise
 * rule one per run of the group's parameters that lie side by side (the whole model, for a plain
 * AdamW); clipping is folded in through the gradient scale. State lives on the backend and is saved to and loaded from
 * safetensors as {@code <parameter>.<buffer>} with the step count and group layout in the
 * metadata, checked on load.
 */
public final class Optimizer {

    private record Slot(ParamGroup group, ParameterSpec spec, TensorUpdate update) {
    }

    private final Backend backend;
    private final List<ParamGroup> groups;
    private final List<Slot> slots = new ArrayList<>();
    private final List<Slot> launches = new ArrayList<>();   // one slot per distinct update, in order
    private final LrSchedule schedule;

    public Optimizer(Backend backend, List<ParamGroup> groups, FloatTensor params, FloatTensor grads,
                     LrSchedule schedule) {
        this.backend = backend;
        this.groups = List.copyOf(groups);
        this.schedule = schedule;
        for (ParamGroup g : groups) {
            if (g.kind().elementwise()) {
                ElementwiseRule rule = g.kind().rule(g.hyperparameters());
                for (List<ParameterSpec> run : sideBySide(g.parameters())) {
                    TensorUpdate update = ElementwiseUpdate.over(backend, rule, run, params, grads);
                    run.forEach(spec -> slots.add(new Slot(g, spec, update)));
                    launches.add(slots.get(slots.size() - 1));
                }
                continue;
            }
            for (ParameterSpec spec : g.parameters()) {
                FloatTensor p = params.slice(spec.offset(), spec.count());
                FloatTensor d = grads.slice(spec.offset(), spec.count());
                slots.add(new Slot(g, spec, g.kind().create(backend, spec, p, d, g.hyperparameters())));
                launches.add(slots.get(slots.size() - 1));
            }
        }
    }

    /** {@code parameters} (in model order) cut into runs that lie side by side in the flat buffer. */
    static List<List<ParameterSpec>> sideBySide(List<ParameterSpec> parameters) {
        List<List<ParameterSpec>> runs = new ArrayList<>();
        List<ParameterSpec> run = new ArrayList<>();
        for (ParameterSpec spec : parameters) {
            if (!run.isEmpty()) {
                ParameterSpec last = run.get(run.size() - 1);
                if (spec.offset() != last.offset() + last.count()) {
                    runs.add(run);
                    run = new ArrayList<>();
                }
            }
            run.add(spec);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    public LrSchedule schedule() {
        return schedule;
    }

    /**
     * Optimizer step {@code step} (from 1) with gradients multiplied by {@code gradScale}; each
     * group at lr = peak * schedule(step) and its weight decay applied before its update.
     */
    public void step(int step, float gradScale) {
        double factor = schedule.factor(step);
        for (Slot slot : launches) {
            ParamGroup g = slot.group();
            float lr = (float) (g.peakLr() * factor);
            slot.update().step(step, lr, g.wdMode().decay(lr, g.peakLr(), g.wd()), gradScale);
        }
    }

    /**
     * Whether a curvature estimate is due after step {@code step}: some update's interval divides
     * it (Sophia's every k steps).
     */
    public boolean curvatureDue(int step) {
        return launches.stream().anyMatch(slot -> estimatesAfter(slot.update(), step));
    }

    /**
     * Folds the curvature estimate now in the gradient buffer, the gradient of an estimating pass
     * over {@code tokens} tokens after step {@code step}, into every update that is due.
     */
    public void updateCurvature(int step, long tokens) {
        for (Slot slot : launches) {
            if (estimatesAfter(slot.update(), step)) {
                slot.update().updateCurvature(tokens);
            }
        }
    }

    /** Whether {@code update} keeps a curvature estimate that is due after {@code step}. */
    private static boolean estimatesAfter(TensorUpdate update, int step) {
        int k = update.curvatureInterval();
        return k > 0 && step % k == 0;
    }

    /** The learning rate of the first group at {@code step}, for logs. */
    public double lr(int step) {
        return schedule.lr(groups.get(0).peakLr(), step);
    }

    /** Bytes of optimizer state (float32) across all groups. */
    public long stateBytes() {
        long floats = 0;
        for (Slot slot : launches) {
            for (StateBuffer b : slot.update().state()) {
                floats += b.count();
            }
        }
        return 4 * floats;
    }

    /** Bytes of state per group name. */
    public Map<String, Long> stateBytesByGroup() {
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (Slot slot : launches) {
            long b = slot.update().state().stream().mapToLong(StateBuffer::count).sum() * 4;
            bytes.merge(slot.group().name(), b, Long::sum);
        }
        return bytes;
    }

    /** How each parameter's rule sees it where that is not element by element (blocks, factors), by parameter name. */
    public Map<String, String> tensorLayouts() {
        Map<String, String> layouts = new LinkedHashMap<>();
        slots.forEach(s -> layouts.put(s.spec().name(), s.update().layout()));
        return layouts;
    }

    /** A one-line description of each group, for metadata and checks: name:optimizer:tensor count. */
    public String layout() {
        StringBuilder s = new StringBuilder();
        for (ParamGroup g : groups) {
            s.append(s.length() == 0 ? "" : ",").append(g.name()).append(':').append(g.kind()).append(':')
                    .append(g.parameters().size());
        }
        return s.toString();
    }

    /** Writes every state buffer and {@code step} (the last step taken). */
    public void save(Path path, int step) {
        List<TensorEntry> entries = new ArrayList<>();
        for (Slot slot : launches) {
            for (StateBuffer b : slot.update().state()) {
                float[] values = new float[Math.toIntExact(b.count())];
                backend.read(values, 0, b.tensor(), values.length);
                entries.add(new TensorEntry(b.key(), b.shape(), values));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Integer.toString(step));
        meta.put("groups", layout());
        SafetensorsFile.write(path, meta, entries);
    }

    /**
     * Loads state saved by {@link #save} and returns its step; the group layout, every buffer's
     * name and shape must match this optimizer, else the error says what differs.
     */
    public int load(Path path) {
        SafetensorsFile file = SafetensorsFile.read(path);
        String saved = file.metadata().get("groups");
        if (!layout().equals(saved)) {
            throw new SafetensorsException(path + " holds optimizer state for groups [" + saved
                    + "] but this run has [" + layout() + "]: resume with the same optimizer and group rules");
        }
        int expected = 0;
        for (Slot slot : launches) {
            for (StateBuffer b : slot.update().state()) {
                String name = b.key();
                TensorEntry e = file.tensors().get(name);
                if (e == null) {
                    throw new SafetensorsException(path + " has no optimizer state '" + name + "'");
                }
                if (!Arrays.equals(e.shape(), b.shape())) {
                    throw new SafetensorsException("optimizer state '" + name + "' has shape " + e.shapeString()
                            + " in " + path + " but this run needs " + Arrays.toString(b.shape()));
                }
                backend.write(b.tensor(), e.data(), 0, e.data().length);
                expected++;
            }
        }
        if (file.tensors().size() != expected) {
            throw new SafetensorsException(path + " holds " + file.tensors().size() + " state tensors, this run has "
                    + expected);
        }
        try {
            return Integer.parseInt(file.metadata().getOrDefault("step", ""));
        } catch (NumberFormatException e) {
            throw new SafetensorsException(path + " has no valid 'step' in its metadata", e);
        }
    }
}

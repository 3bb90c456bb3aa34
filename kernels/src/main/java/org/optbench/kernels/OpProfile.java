package org.optbench.kernels;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time spent in each kind of backend operation (matmul forward and backward, attention,
 * LayerNorm, GELU, cross-entropy, embedding, the optimizer update, the gradient norm, ...),
 * collected by a {@link #wrap wrapped} backend that synchronises the device after every call, so
 * each call's time is its own. For {@code optbench bench --profile}; the wrapping adds a little
 * time per call, which the profile's total against an unprofiled step shows.
 */
public final class OpProfile {

    /** The operation kind of each backend method; methods not listed are not timed. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("matmulForward", "matmul forward"), Map.entry("matmulBackward", "matmul backward"),
            Map.entry("matmul", "matmul (other)"),
            Map.entry("attentionForward", "attention forward"), Map.entry("attentionBackward", "attention backward"),
            Map.entry("layerNormForward", "layernorm"), Map.entry("layerNormBackward", "layernorm"),
            Map.entry("geluForward", "gelu forward"), Map.entry("geluBackward", "gelu backward"),
            Map.entry("ropeForward", "rope"), Map.entry("ropeBackward", "rope"),
            Map.entry("embeddingForward", "embedding"), Map.entry("embeddingBackward", "embedding"),
            Map.entry("crossEntropyForward", "cross-entropy"), Map.entry("crossEntropyBackward", "cross-entropy"),
            Map.entry("residualForward", "residual"),
            Map.entry("sumOfSquares", "gradient norm"),
            Map.entry("elementwiseUpdate", "optimizer"), Map.entry("blockAdamUpdate", "optimizer"), Map.entry("adafactorUpdate", "optimizer"),
            Map.entry("nesterovMomentum", "optimizer"), Map.entry("axpby", "optimizer"),
            Map.entry("fill", "zeroing"),
            Map.entry("read", "host transfers"), Map.entry("write", "host transfers"),
            Map.entry("writeInts", "host transfers"));

    private final Map<String, long[]> byKind = new LinkedHashMap<>();   // kind -> {nanos, calls}

    /** A backend that runs every call on {@code backend} and records its time here. */
    public Backend wrap(Backend backend) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> call(backend, method, args));
    }

    private Object call(Backend backend, Method method, Object[] args) throws Throwable {
        String kind = KINDS.get(method.getName());
        long t0 = System.nanoTime();
        try {
            Object result = method.invoke(backend, args);
            if (kind != null) {
                backend.synchronize();
                record(kind, System.nanoTime() - t0);
            }
            return result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private synchronized void record(String kind, long nanos) {
        long[] slot = byKind.computeIfAbsent(kind, k -> new long[2]);
        slot[0] += nanos;
        slot[1]++;
    }

    /** Seconds per kind so far, in the order the kinds first ran. */
    public synchronized Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        byKind.forEach((k, v) -> out.put(k, v[0] / 1e9));
        return out;
    }

    /** Calls per kind so far. */
    public synchronized Map<String, Long> calls() {
        Map<String, Long> out = new LinkedHashMap<>();
        byKind.forEach((k, v) -> out.put(k, v[1]));
        return out;
    }

    /** Forgets what was recorded (after warm-up steps). */
    public synchronized void reset() {
        byKind.clear();
    }
}

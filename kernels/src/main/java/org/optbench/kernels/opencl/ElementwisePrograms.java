package org.optbench.kernels.opencl;

import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.kernels.KernelException;

/**
 * The OpenCL programs of the element-wise optimizer rules a backend has run: each rule's source
 * (beside its CPU body, see {@link ElementwiseKernel}) built on first use with the backend's
 * options, and kept with its kernel object until the backend closes. Two rules may not share a name.
 */
final class ElementwisePrograms implements AutoCloseable {

    private record Built(Class<?> rule, ClProgram program) {
    }

    private final cl_context context;
    private final cl_device_id device;
    private final String deviceLabel;
    private final String options;
    private final Map<String, Built> built = new HashMap<>();

    ElementwisePrograms(cl_context context, cl_device_id device, String deviceLabel, String options) {
        this.context = context;
        this.device = device;
        this.deviceLabel = deviceLabel;
        this.options = options;
    }

    /** The kernel object of {@code rule}, its program built on first use. */
    cl_kernel kernel(ElementwiseKernel rule) {
        Built b = built.computeIfAbsent(rule.name(), name -> new Built(rule.getClass(),
                new ClProgram(context, device, deviceLabel, options, rule.openClSource())));
        if (b.rule() != rule.getClass()) {
            throw new KernelException("two element-wise kernels are named '" + rule.name() + "': " + b.rule().getName()
                    + " and " + rule.getClass().getName() + "; give each its own name");
        }
        try {
            return b.program().kernel(rule.name());
        } catch (CLException e) {
            throw new KernelException(rule.getClass().getSimpleName() + ".cl defines no kernel '" + rule.name()
                    + "' (" + CL.stringFor_errorCode(e.getStatus()) + "): name its __kernel function as the rule does", e);
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Built b : built.values()) {
            try {
                b.program().close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        built.clear();
        if (first != null) {
            throw first;
        }
    }
}

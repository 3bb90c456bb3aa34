package org.optbench.kernels.opencl;

import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.optbench.kernels.KernelException;

/**
 * Finds the OpenCL platforms and devices installed on this machine and resolves device selectors
 * ({@code opencl}, {@code opencl:P:D}). A machine without an OpenCL driver has no devices; asking
 * for one there is an error that says what to install.
 */
public final class OpenClDevices {

    static final String INSTALL_HINT = "install an OpenCL driver (the vendor's GPU driver, or PoCL for CPUs: "
            + "apt-get install ocl-icd-libopencl1 ocl-icd-opencl-dev pocl-opencl-icd; the loader must be reachable as libOpenCL.so) or use --device cpu";

    private OpenClDevices() {
    }

    /** Every device of every platform, in platform order; empty when no OpenCL driver is present. */
    public static List<OpenClDevice> list() {
        if (OpenClLoader.problem().isPresent()) {
            return List.of();
        }
        try {
            return enumerate();
        } catch (LinkageError e) {
            return List.of();
        }
    }

    /** Why this machine has no OpenCL device: a missing ICD loader (named), else no platform. */
    public static String whyNone() {
        return OpenClLoader.problem().orElse("no OpenCL platform is installed: " + INSTALL_HINT);
    }

    /** Whether at least one OpenCL device exists. */
    public static boolean available() {
        return !list().isEmpty();
    }

    /**
     * The device a selector names: {@code opencl} picks the first GPU, or the first device when
     * there is no GPU; {@code opencl:P:D} picks device D of platform P.
     */
    public static OpenClDevice select(String selector) {
        String[] parts = selector.split(":", -1);
        if (!parts[0].equals("opencl") || (parts.length != 1 && parts.length != 3)) {
            throw new KernelException("device '" + selector + "' is not an OpenCL selector: use opencl or opencl:P:D");
        }
        List<OpenClDevice> devices = list();
        if (devices.isEmpty()) {
            throw new KernelException("device '" + selector + "' asked for OpenCL, but " + whyNone());
        }
        if (parts.length == 1) {
            return devices.stream().filter(OpenClDevice::isGpu).findFirst().orElse(devices.get(0));
        }
        int p = index(parts[1], selector);
        int d = index(parts[2], selector);
        return devices.stream().filter(x -> x.platformIndex() == p && x.deviceIndex() == d).findFirst()
                .orElseThrow(() -> new KernelException("device '" + selector + "' does not exist; this machine has "
                        + String.join(", ", devices.stream().map(OpenClDevice::selector).toList())
                        + " (see optbench devices)"));
    }

    private static int index(String text, String selector) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new KernelException("device '" + selector + "': '" + text + "' is not a platform or device index; "
                + "use opencl:P:D with numbers from optbench devices");
    }

    private static List<OpenClDevice> enumerate() {
        CL.setExceptionsEnabled(true);
        List<OpenClDevice> out = new ArrayList<>();
        int[] count = new int[1];
        try {
            clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            return out;
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        for (int p = 0; p < platforms.length; p++) {
            int[] n = new int[1];
            try {
                clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (CLException e) {
                continue;
            }
            cl_device_id[] devices = new cl_device_id[n[0]];
            clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            String platformName = platformString(platforms[p], CL_PLATFORM_NAME);
            for (int d = 0; d < devices.length; d++) {
                cl_device_id dev = devices[d];
                out.add(new OpenClDevice(p, d, platformName, deviceString(dev, CL_DEVICE_NAME).trim(),
                        deviceString(dev, CL_DEVICE_VENDOR), type(deviceLong(dev, CL_DEVICE_TYPE)),
                        deviceString(dev, CL_DEVICE_VERSION), deviceLong(dev, CL_DEVICE_GLOBAL_MEM_SIZE),
                        deviceLong(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceLong(dev, CL_DEVICE_LOCAL_MEM_SIZE),
                        deviceInt(dev, CL_DEVICE_MAX_COMPUTE_UNITS), deviceSize(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                        deviceLong(dev, CL_DEVICE_DOUBLE_FP_CONFIG) != 0, platforms[p], dev));
            }
        }
        return out;
    }

    private static String type(long bits) {
        if ((bits & CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((bits & CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        if ((bits & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        return "other";
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceSize(cl_device_id device, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static int deviceInt(cl_device_id device, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }
}

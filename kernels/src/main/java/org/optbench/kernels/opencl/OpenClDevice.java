package org.optbench.kernels.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as {@code optbench devices} lists it: its place ({@code opencl:P:D}), names,
 * type, OpenCL version and the limits the backend sizes its kernels from.
 */
public record OpenClDevice(int platformIndex, int deviceIndex, String platformName, String deviceName,
                           String vendor, String type, String version, long globalMemoryBytes,
                           long maxAllocationBytes, long localMemoryBytes, int computeUnits,
                           long maxWorkGroupSize, boolean doublePrecision,
                           cl_platform_id platform, cl_device_id device) {

    /** The device selector that picks this device: {@code opencl:P:D}. */
    public String selector() {
        return "opencl:" + platformIndex + ":" + deviceIndex;
    }

    /** A one-line description, recorded with every result that ran here. */
    public String describe() {
        return selector() + " " + deviceName + " (" + platformName + ", " + version + ")";
    }

    /** Whether this is a GPU (the preferred device of a bare {@code opencl} selector). */
    public boolean isGpu() {
        return type.equals("GPU");
    }
}

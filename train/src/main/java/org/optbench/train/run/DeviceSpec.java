package org.optbench.train.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the kernels run: {@code cpu}, {@code opencl} (the first GPU, else the first device) or
 * {@code opencl:P:D}, and the CPU backend's thread count (null: every processor). Results do not
 * depend on the thread count.
 *
 * @param name    the device selector
 * @param threads CPU threads, or null for the available processors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceSpec(String name, Integer threads) {

    public static final String CPU = "cpu";

    public DeviceSpec {
        name = name == null ? CPU : name;
    }

    public static DeviceSpec defaults() {
        return new DeviceSpec(CPU, null);
    }

    @JsonIgnore
    public boolean isCpu() {
        return name.equals(CPU);
    }

    /** The thread count to use: the given one, or the processors of this machine. */
    public int threadCount() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}

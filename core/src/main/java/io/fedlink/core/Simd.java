package io.fedlink.core;

/**
 * Whether the hot kernels run on the JDK's Vector API ({@code jdk.incubator.vector}) or on their scalar
 * forms. Both forms compute every number in the same order with the same operations (no fused
 * multiply-add anywhere), so which one runs changes speed only, never a bit of a result: the
 * determinism contract holds whatever the JVM was started with.
 *
 * <p>The Vector API is an incubator module in Java 17: it is there only when the JVM was started
 * with {@code --add-modules jdk.incubator.vector} (the {@code fedlink} launcher, the tests and the
 * cluster script do), and it pays only where the hardware has vectors of at least 256 bits. The
 * system property {@code fedlink.simd=false} forces the scalar forms (for comparisons).
 */
public final class Simd {

    private static final String MODULE = "jdk.incubator.vector";

    /** True when the Vector API kernels are in use. */
    public static final boolean VECTOR_API = detect();

    private Simd() {
    }

    private static boolean detect() {
        if (!Boolean.parseBoolean(System.getProperty("fedlink.simd", "true"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return false;
        }
        try {
            // Loaded only now that the module is known to be there.
            return (Boolean) Class.forName("io.fedlink.core.linalg.VectorKernels").getMethod("usable").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** One line for reports, e.g. {@code Vector API, 512-bit} or {@code scalar (jdk.incubator.vector not added)}. */
    public static String describe() {
        if (VECTOR_API) {
            return "Vector API, " + io.fedlink.core.linalg.VectorKernels.bits() + "-bit";
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "scalar (" + MODULE + " not added)";
        }
        return "scalar";
    }
}

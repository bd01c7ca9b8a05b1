package io.fedlink.core;

/**
 * Whether the hot kernels run on the JDK's Vector API ({@code jdk.incubator.vector}) or on their scalar
 * forms. Both forms compute every number in the same order with the same operations (no fused
 * multiply-add anywhere), so which one runs changes speed only, never a bit of a result: the
 * determinism contract holds whatever the JVM was started with.
 *
 * <p>The Vector API is an incubator module in Java 17: it is there only when the JVM was started
 * with {@code --add-modules jdk.incubator.vector}, and it pays only where the hardware has vectors of at
 * least 256 bits. The tests run with it (so that they hold both forms to the same bits); the
 * {@code fedlink} launcher and the cluster script do not add it, because on the project's machine the
 * paper's presets took as much CPU time or more with it than without (docs/performance.md, "Trials in
 * blocks"): {@code FEDLINK_JAVA_OPTS="--add-modules jdk.incubator.vector"} turns it on for both. The
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

    /** Done once per JVM: see {@link #warmUp()}. */
    private static final java.util.concurrent.FutureTask<Void> WARM_UP = new java.util.concurrent.FutureTask<>(
            Simd::runWarmUp, null);

    /**
     * Has the JIT compile every Vector API kernel, each path of it, before the simulation needs it, and
     * returns when that is done (at once after the first time; from several threads, the others wait).
     * The Vector API is fast only in code C2 has compiled with every path seen: until then its operations
     * run as plain Java on boxed vectors, a hundred times slower, and a path first taken in the middle of a
     * run (the eigenbasis's odd row count, say) sends the compiled kernel back to that state for seconds.
     * Runs the kernels on small made-up vectors (a few tenths of a second); nothing when the scalar forms
     * are in use. Both engines call it before their first trial.
     */
    public static void warmUp() {
        WARM_UP.run();                                   // runs it, or does nothing if it ran or is running
        try {
            WARM_UP.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("warming up the Vector API kernels failed", e.getCause());
        }
    }

    private static void runWarmUp() {
        if (VECTOR_API) {
            io.fedlink.core.linalg.VectorOps.warmUp();
            io.fedlink.core.random.RandomStream.warmUp();
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

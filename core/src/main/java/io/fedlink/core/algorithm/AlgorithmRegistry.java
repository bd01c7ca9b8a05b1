package io.fedlink.core.algorithm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * The algorithms a class loader finds through {@link ServiceLoader}, loaded once per loader and
 * checked: ids well formed and unique, options well formed and unique per algorithm. The paper's four
 * come first in SPEC order, then the others by id. A plug-in that breaks a rule is refused with a
 * message naming its class, never silently dropped.
 */
final class AlgorithmRegistry {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final List<String> PAPER = List.of("admm", "dual-free", "rerce", "rerce-continual");
    private static final Map<ClassLoader, AlgorithmRegistry> BY_LOADER = new WeakHashMap<>();

    private final Map<String, FederatedAlgorithm> byId;

    private AlgorithmRegistry(Map<String, FederatedAlgorithm> byId) {
        this.byId = byId;
    }

    /** The registry of the current thread's context class loader (this class's loader when it has none). */
    static AlgorithmRegistry current() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = FederatedAlgorithm.class.getClassLoader();
        }
        synchronized (BY_LOADER) {
            AlgorithmRegistry registry = BY_LOADER.get(loader);
            if (registry == null) {
                registry = load(loader);
                BY_LOADER.put(loader, registry);
            }
            return registry;
        }
    }

    private static AlgorithmRegistry load(ClassLoader loader) {
        final Map<String, FederatedAlgorithm> found = new LinkedHashMap<>();
        try {
            for (FederatedAlgorithm algorithm : ServiceLoader.load(FederatedAlgorithm.class, loader)) {
                check(algorithm);
                final FederatedAlgorithm earlier = found.get(algorithm.id());
                if (earlier != null && earlier.getClass() != algorithm.getClass()) {
                    throw new IllegalStateException("two algorithms are named '" + algorithm.id() + "': "
                            + origin(earlier) + " and " + origin(algorithm) + "; remove one from the class path");
                }
                found.putIfAbsent(algorithm.id(), canonical(algorithm));   // the same class twice: one jar listed twice
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("an algorithm plug-in cannot be loaded: " + e.getMessage(), e);
        }
        final Map<String, FederatedAlgorithm> ordered = new LinkedHashMap<>();
        for (String id : PAPER) {
            if (found.containsKey(id)) {
                ordered.put(id, found.remove(id));
            }
        }
        found.keySet().stream().sorted().forEach(id -> ordered.put(id, found.get(id)));
        return new AlgorithmRegistry(Collections.unmodifiableMap(ordered));
    }

    /** The paper's four as the constants of {@link FederatedAlgorithm}, so that one object names each. */
    private static FederatedAlgorithm canonical(FederatedAlgorithm algorithm) {
        for (FederatedAlgorithm builtIn : List.of(FederatedAlgorithm.ADMM, FederatedAlgorithm.DUAL_FREE,
                FederatedAlgorithm.RERCE, FederatedAlgorithm.RERCE_CONTINUAL)) {
            if (builtIn.getClass() == algorithm.getClass()) {
                return builtIn;
            }
        }
        return algorithm;
    }

    /** Refuses an algorithm whose id or options break the rules, naming its class. */
    private static void check(FederatedAlgorithm algorithm) {
        final String id;
        final List<AlgorithmOption> options;
        try {
            id = algorithm.id();
            options = algorithm.options();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the algorithm plug-in " + origin(algorithm) + " fails to describe itself: "
                    + e, e);
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalStateException("the algorithm plug-in " + origin(algorithm) + " has the id '" + id
                    + "'; expected lower-case words joined by '-', e.g. my-algorithm");
        }
        final Set<String> names = new HashSet<>();
        for (AlgorithmOption option : options) {
            if (!names.add(option.name())) {
                throw new IllegalStateException("the algorithm " + id + " (" + origin(algorithm)
                        + ") declares the option --" + option.name() + " twice");
            }
        }
    }

    /** The class and where it was loaded from, for messages. */
    static String origin(FederatedAlgorithm algorithm) {
        final Class<?> type = algorithm.getClass();
        final java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        return type.getName() + (source != null && source.getLocation() != null ? " (" + source.getLocation() + ")" : "");
    }

    FederatedAlgorithm byId(String id) {
        final FederatedAlgorithm found = byId.get(id.trim().toLowerCase(Locale.ROOT));
        if (found == null) {
            throw new IllegalArgumentException("unknown algorithm '" + id + "'; expected one of "
                    + String.join(", ", byId.keySet()));
        }
        return found;
    }

    List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    List<FederatedAlgorithm> all() {
        return List.copyOf(byId.values());
    }
}

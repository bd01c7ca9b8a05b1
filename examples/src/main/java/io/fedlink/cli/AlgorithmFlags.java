package io.fedlink.cli;

import io.fedlink.core.algorithm.AlgorithmOption;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The algorithms' own flags on the command line: every {@link AlgorithmOption} that an algorithm
 * found on the class path declares becomes a flag {@code --NAME VALUE} of the commands that describe
 * an experiment (simulate, node, benchmark), with no change to the command line for a third party's
 * jar. Algorithms that declare the same name share the flag; each validates the value itself
 * ({@link ExperimentOptions#resolve}). A plug-in may not take one of fedlink's own flags.
 */
final class AlgorithmFlags {

    private AlgorithmFlags() {
    }

    /**
     * Adds the flags to {@code cmd}, their values going to {@code target}.
     *
     * @throws IllegalStateException naming the plug-in when one declares a flag fedlink already has
     */
    static void register(CommandLine cmd, ExperimentOptions target) {
        final Map<String, List<FederatedAlgorithm>> owners = new LinkedHashMap<>();
        final Map<String, AlgorithmOption> first = new LinkedHashMap<>();
        for (FederatedAlgorithm algorithm : FederatedAlgorithm.all()) {
            for (AlgorithmOption option : algorithm.options()) {
                owners.computeIfAbsent(option.name(), n -> new ArrayList<>()).add(algorithm);
                first.putIfAbsent(option.name(), option);
            }
        }
        for (Map.Entry<String, AlgorithmOption> e : first.entrySet()) {
            final String flag = "--" + e.getKey();
            if (cmd.getCommandSpec().findOption(flag) != null) {
                throw new IllegalStateException("the algorithm " + owners.get(e.getKey()).get(0).id()
                        + " declares the option " + flag + ", which is one of fedlink " + cmd.getCommandName()
                        + "'s own flags; the plug-in must rename it");
            }
            final List<String> defaults = new ArrayList<>();
            final java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
            for (FederatedAlgorithm a : owners.get(e.getKey())) {
                for (AlgorithmOption o : a.options()) {
                    if (o.name().equals(e.getKey())) {
                        defaults.add(a.id() + " " + o.defaultValue());
                        distinct.add(o.defaultValue());
                    }
                }
            }
            if (distinct.size() == 1) {
                defaults.clear();
                defaults.addAll(distinct);
            }
            final String name = e.getKey();
            cmd.getCommandSpec().addOption(OptionSpec.builder(flag)
                    .paramLabel(e.getValue().paramLabel())
                    .type(String.class)
                    .description(e.getValue().description().replace("%", "%%") + " (default: "
                            + String.join(", ", defaults) + ").")
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T set(T value) {
                            // picocli sets every option to its initial value (null) before parsing
                            return (T) (value == null ? target.algorithmOptions.remove(name)
                                    : target.algorithmOptions.put(name, (String) value));
                        }
                    })
                    .build());
        }
    }

    /** Which algorithms found declare option {@code name}, by id. */
    static List<String> ownersOf(String name) {
        final List<String> ids = new ArrayList<>();
        for (FederatedAlgorithm algorithm : FederatedAlgorithm.all()) {
            if (algorithm.options().stream().anyMatch(o -> o.name().equals(name))) {
                ids.add(algorithm.id());
            }
        }
        return ids;
    }
}

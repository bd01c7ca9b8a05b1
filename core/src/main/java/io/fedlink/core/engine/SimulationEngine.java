package io.fedlink.core.engine;

import io.fedlink.core.data.FederatedProblem;
import java.util.List;

/** Something that runs an experiment's trials and returns its averaged learning curves. */
public interface SimulationEngine {

    /** The name used by {@code --engine}. */
    String id();

    /**
     * Runs every series of the experiment on the given problem (generated from the experiment).
     *
     * @return one result per series, in the experiment's order
     */
    List<SeriesResult> run(Experiment experiment, FederatedProblem problem, ProgressListener listener);
}

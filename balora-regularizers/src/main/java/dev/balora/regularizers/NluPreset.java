package dev.balora.regularizers;

import dev.balora.objective.WeightSchedule;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.nlu.CovarianceDiversity;
import dev.balora.regularizers.nlu.NormalizedConsistency;
import dev.balora.regularizers.nlu.SpectralConcentration;
import java.util.Objects;

/**
 * An NLU BA-LoRA setting (weights, schedules, k) that can be overridden before {@link #build()}; obtain one from
 * {@link BaLoraPresets}. A term whose base weight is 0 is left out of the objective.
 */
public final class NluPreset {
    private double consistencyWeight;
    private WeightSchedule consistencySchedule = WeightSchedule.constant();
    private NormalizedConsistency.Source consistencySource = NormalizedConsistency.Source.LOGITS;
    private double diversityWeight;
    private WeightSchedule diversitySchedule = WeightSchedule.constant();
    private double svdWeight;
    private WeightSchedule svdSchedule = WeightSchedule.constant();
    private int svdTopK;

    NluPreset(double consistencyWeight, double diversityWeight, double svdWeight, int svdTopK) {
        this.consistencyWeight = consistencyWeight;
        this.diversityWeight = diversityWeight;
        this.svdWeight = svdWeight;
        this.svdTopK = svdTopK;
    }

    /** lambda1 and its schedule. */
    public NluPreset optConsistency(double weight, WeightSchedule schedule) {
        this.consistencyWeight = weight;
        this.consistencySchedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** Compare logits (BA-LoRA) or pooled hidden states (representation-level variant). */
    public NluPreset optConsistencySource(NormalizedConsistency.Source source) {
        this.consistencySource = Objects.requireNonNull(source, "source");
        return this;
    }

    /** lambda2 and its schedule. */
    public NluPreset optDiversity(double weight, WeightSchedule schedule) {
        this.diversityWeight = weight;
        this.diversitySchedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** lambda3 and its schedule. */
    public NluPreset optSvd(double weight, WeightSchedule schedule) {
        this.svdWeight = weight;
        this.svdSchedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** k, the leading singular values of the SVD term. */
    public NluPreset optSvdTopK(int k) {
        this.svdTopK = k;
        return this;
    }

    /** The objective: task loss plus the terms with a non-zero base weight. */
    public WeightedObjective build() {
        WeightedObjective.Builder b = WeightedObjective.builder();
        if (consistencyWeight != 0) {
            b.add(new NormalizedConsistency(consistencySource), consistencyWeight, consistencySchedule);
        }
        if (diversityWeight != 0) {
            b.add(new CovarianceDiversity(), diversityWeight, diversitySchedule);
        }
        if (svdWeight != 0) {
            b.add(SpectralConcentration.topK(svdTopK), svdWeight, svdSchedule);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "NluPreset{consistency=" + consistencyWeight + " " + consistencySchedule + " on " + consistencySource
                + ", diversity=" + diversityWeight + " " + diversitySchedule + ", svd=" + svdWeight + " "
                + svdSchedule + ", k=" + svdTopK + "}";
    }
}

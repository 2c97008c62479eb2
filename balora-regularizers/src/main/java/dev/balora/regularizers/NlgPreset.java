package dev.balora.regularizers;

import dev.balora.objective.WeightSchedule;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.nlg.EntropyDiversity;
import dev.balora.regularizers.nlg.KlConsistency;
import dev.balora.regularizers.nlg.MaskAlignment;
import dev.balora.regularizers.nlg.SpectralConcentration;
import dev.balora.regularizers.nlg.TokenSelection;
import dev.balora.regularizers.spectral.SingularValueRatio;
import dev.balora.regularizers.spectral.SpectralDenominator;
import dev.balora.regularizers.spectral.SpectralMethod;
import java.util.Objects;

/**
 * An NLG BA-LoRA setting (weights, schedules and every term option) that can be overridden before
 * {@link #build()}; obtain one from {@link BaLoraPresets}. A term whose base weight is 0 is left out.
 */
public final class NlgPreset {
    private double consistencyWeight;
    private WeightSchedule consistencySchedule = WeightSchedule.constant();
    private double temperature = 1.0;
    private KlConsistency.Reduction klReduction = KlConsistency.Reduction.PER_TOKEN;
    private double diversityWeight;
    private WeightSchedule diversitySchedule = WeightSchedule.constant();
    private int entropyTopK;
    private double svdWeight;
    private WeightSchedule svdSchedule = WeightSchedule.constant();
    private int svdTopK = 10;
    private SpectralDenominator denominator = SpectralDenominator.FROBENIUS;
    private SpectralMethod spectralMethod = SpectralMethod.AUTO;
    private int randomizedAboveColumns = SingularValueRatio.DEFAULT_RANDOMIZED_ABOVE_COLUMNS;
    private int oversampling = 5;
    private int powerIterations = 2;
    private long seed = 42;
    private TokenSelection selection = TokenSelection.masked(MaskAlignment.SHIFTED);

    NlgPreset(double consistencyWeight, double diversityWeight, double svdWeight) {
        this.consistencyWeight = consistencyWeight;
        this.diversityWeight = diversityWeight;
        this.svdWeight = svdWeight;
    }

    /** lambda1 and its schedule. */
    public NlgPreset optConsistency(double weight, WeightSchedule schedule) {
        this.consistencyWeight = weight;
        this.consistencySchedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** KL temperature T (result scaled by T^2). */
    public NlgPreset optTemperature(double temperature) {
        this.temperature = temperature;
        return this;
    }

    /** What the summed KL is divided by. */
    public NlgPreset optKlReduction(KlConsistency.Reduction reduction) {
        this.klReduction = Objects.requireNonNull(reduction, "reduction");
        return this;
    }

    /** lambda2 and its schedule. */
    public NlgPreset optDiversity(double weight, WeightSchedule schedule) {
        this.diversityWeight = weight;
        this.diversitySchedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** K largest logits of the renormalised entropy; 0 = the full vocabulary. */
    public NlgPreset optEntropyTopK(int k) {
        this.entropyTopK = k;
        return this;
    }

    /** lambda3 and its schedule. */
    public NlgPreset optSvd(double weight, WeightSchedule schedule) {
        this.svdWeight = weight;
        this.svdSchedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** k of the SVD term, its denominator, and how the singular vectors are found. */
    public NlgPreset optSvdShape(int k, SpectralDenominator denominator, SpectralMethod method) {
        this.svdTopK = k;
        this.denominator = Objects.requireNonNull(denominator, "denominator");
        this.spectralMethod = Objects.requireNonNull(method, "method");
        return this;
    }

    /** The randomized finder: AUTO's column threshold, extra columns, power iterations, seed. */
    public NlgPreset optRandomized(int aboveColumns, int oversampling, int powerIterations, long seed) {
        this.randomizedAboveColumns = aboveColumns;
        this.oversampling = oversampling;
        this.powerIterations = powerIterations;
        this.seed = seed;
        return this;
    }

    /** Which token positions every term uses. */
    public NlgPreset optSelection(TokenSelection selection) {
        this.selection = Objects.requireNonNull(selection, "selection");
        return this;
    }

    /** Shorthand: masked tokens with the given label alignment. */
    public NlgPreset optMaskAlignment(MaskAlignment alignment) {
        return optSelection(TokenSelection.masked(alignment));
    }

    /** The objective: task loss plus the terms with a non-zero base weight. */
    public WeightedObjective build() {
        WeightedObjective.Builder b = WeightedObjective.builder();
        if (consistencyWeight != 0) {
            b.add(KlConsistency.builder().optTemperature(temperature).optReduction(klReduction)
                    .optSelection(selection).build(), consistencyWeight, consistencySchedule);
        }
        if (diversityWeight != 0) {
            b.add(EntropyDiversity.builder().optTopK(entropyTopK).optSelection(selection).build(),
                    diversityWeight, diversitySchedule);
        }
        if (svdWeight != 0) {
            SingularValueRatio ratio = SingularValueRatio.builder().setTopK(svdTopK).optDenominator(denominator)
                    .optMethod(spectralMethod).optRandomizedAboveColumns(randomizedAboveColumns)
                    .optRandomized(oversampling, powerIterations, seed).build();
            b.add(new SpectralConcentration(ratio, selection), svdWeight, svdSchedule);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "NlgPreset{consistency=" + consistencyWeight + " " + consistencySchedule + " T=" + temperature + " "
                + klReduction + ", diversity=" + diversityWeight + " " + diversitySchedule + " K=" + entropyTopK
                + ", svd=" + svdWeight + " " + svdSchedule + " k=" + svdTopK + " " + denominator + " "
                + spectralMethod + ", " + selection + "}";
    }
}

package dev.balora.regularizers.spectral;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RowGradient;
import dev.balora.objective.Scalars;
import dev.balora.regularizers.Surrogate;

/**
 * The concentration of a matrix's spectrum, {@code -(sum of the top-k singular values) / (denominator + eps)},
 * differentiable through detached singular vectors.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class SingularValueRatio {
    /** Above this many columns AUTO uses the randomized finder for top-k (the ICLR code's threshold). */
    public static final int DEFAULT_RANDOMIZED_ABOVE_COLUMNS = 4096;
    /** AUTO decomposes matrices up to this many elements exactly on the host. */
    public static final long EXACT_MAX_ELEMENTS = 1L << 18;
    /** A largest singular value at or below this counts as a zero matrix. */
    static final double ZERO_MATRIX = 1e-8;

    private final int topK;
    private final SpectralDenominator denominator;
    private final double epsilon;
    private final SpectralMethod method;
    private final int randomizedAboveColumns;
    private final int oversampling;
    private final int powerIterations;
    private final long seed;

    private SingularValueRatio(Builder b) {
        this.topK = b.topK;
        this.denominator = b.denominator;
        this.epsilon = b.epsilon;
        this.method = b.method;
        this.randomizedAboveColumns = b.randomizedAboveColumns;
        this.oversampling = b.oversampling;
        this.powerIterations = b.powerIterations;
        this.seed = b.seed;
    }

    /** A new builder; {@code setTopK} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** k, the number of leading singular values in the numerator. */
    public int topK() {
        return topK;
    }

    /** The denominator. */
    public SpectralDenominator denominator() {
        return denominator;
    }

    /** The number added to the denominator. */
    public double epsilon() {
        return epsilon;
    }

    /** The method AUTO resolves to for a matrix of this shape, or the configured one. */
    public SpectralMethod methodFor(Shape shape) {
        if (method != SpectralMethod.AUTO) {
            return method;
        }
        long m = shape.get(0);
        long n = shape.get(1);
        int kEff = (int) Math.min(topK, Math.min(m, n));
        if (denominator == SpectralDenominator.FROBENIUS && n > randomizedAboveColumns && kEff < Math.min(m, n)) {
            return SpectralMethod.RANDOMIZED;
        }
        return m * n <= EXACT_MAX_ELEMENTS ? SpectralMethod.EXACT : SpectralMethod.GRAM;
    }

    /**
     * Computes {@code -(sum_{i<=k'} sigma_i) / (denominator + eps)} with {@code k' = min(k, m, n)}.
     *
     * @param z the matrix, [m, n], with gradient
     * @param step the optimizer step, mixed into the randomized finder's seed so each step draws a new test matrix
     * @return a scalar with gradient
     */
    public NDArray compute(NDArray z, long step) {
        RowGradient h = valueAndGradient(z, step);
        return h == null ? z.getManager().zeros(new Shape(), z.getDataType()) : Surrogate.of(z, h.gradient(), h.value());
    }

    /**
     * The ratio's value and its gradient with respect to z, built by hand (what {@link #compute} attaches).
     *
     * @param z the matrix, [m, n]
     * @param step the optimizer step (seed of the randomized finder)
     * @return value and gradient [m, n] (handed over); null when z is zero (the term is 0, with no gradient)
     */
    public RowGradient valueAndGradient(NDArray z, long step) {
        Shape shape = z.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("singular-value ratio needs a 2-D matrix, got " + shape);
        }
        int kEff = (int) Math.min(topK, Math.min(shape.get(0), shape.get(1)));
        SpectralMethod m = methodFor(shape);
        boolean needAll = denominator == SpectralDenominator.NUCLEAR;
        if (needAll && m == SpectralMethod.RANDOMIZED) {
            throw new IllegalStateException("the nuclear-norm denominator needs every singular value: use the EXACT"
                    + " or GRAM method, not RANDOMIZED");
        }
        SingularTriplets t = switch (m) {
            case EXACT -> Decompositions.exact(z);
            case GRAM -> Decompositions.gram(z);
            case RANDOMIZED -> Decompositions.randomized(z, kEff, oversampling, powerIterations,
                    seed + step * 0x9E3779B97F4A7C15L);
            case AUTO -> throw new AssertionError("AUTO is resolved above");
        };
        if (t.count() == 0 || !(t.s()[0] > ZERO_MATRIX)) {
            // Z = 0: no direction, no gradient; the term is 0 rather than 0/0 (the ICLR code skips it too).
            return null;
        }
        int used = Math.min(kEff, t.count());
        int held = needAll ? t.count() : used;
        // The value and its gradient by hand (the values are u_i^T Z v_i of the detached triplets, already known
        // on the host): with S = sum_{i<k} sigma_i and D the denominator, d(-S / (D + eps)) =
        // -U_k V_k^T / (D + eps) + S / (D + eps)^2 dD, dD = U V^T (nuclear) or Z / ||Z|| (Frobenius).
        double top = 0;
        double all = 0;
        for (int i = 0; i < held; i++) {
            top += i < used ? t.s()[i] : 0;
            all += t.s()[i];
        }
        NDArray zd = z.stopGradient();
        double frobenius = needAll ? 0 : zd.norm().toType(DataType.FLOAT64, false).getDouble();
        double denom = (needAll ? all : frobenius) + epsilon;
        double[] weights = new double[held];
        for (int i = 0; i < held; i++) {
            weights[i] = (i < used ? -1 / denom : 0) + (needAll ? top / (denom * denom) : 0);
        }
        NDArray uk = held == t.count() ? t.u() : t.u().get(":, :" + held);
        NDArray vk = held == t.count() ? t.v() : t.v().get(":, :" + held);
        NDArray gradient;
        double c = needAll ? 0 : top / (denom * denom * frobenius); // weight of Z in the Frobenius gradient
        if (needAll || !(c > 1e-30 && c < 1e30)) {
            NDArray w = EngineArrays.own(z.getManager().create(weights)).toType(uk.getDataType(), false);
            gradient = uk.mul(w).matMul(vk.transpose()); // [m, n]
            if (!needAll) {
                gradient.addi(Scalars.mul(zd, c));
            }
        } else {
            // (U (w / c) V^T + Z) c: the Z part is added in place instead of through a fresh c Z.
            for (int i = 0; i < held; i++) {
                weights[i] /= c;
            }
            NDArray wc = EngineArrays.own(z.getManager().create(weights)).toType(uk.getDataType(), false);
            gradient = uk.mul(wc).matMul(vk.transpose()).addi(zd).muli(Scalars.like(zd, c));
        }
        return new RowGradient(-top / denom, gradient);
    }

    /** Builder of {@link SingularValueRatio}. */
    public static final class Builder {
        private int topK;
        private SpectralDenominator denominator = SpectralDenominator.NUCLEAR;
        private double epsilon;
        private SpectralMethod method = SpectralMethod.AUTO;
        private int randomizedAboveColumns = DEFAULT_RANDOMIZED_ABOVE_COLUMNS;
        private int oversampling = 5;
        private int powerIterations = 2;
        private long seed = 42;

        private Builder() {}

        /** k, the number of leading singular values in the numerator (required, >= 1). */
        public Builder setTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /** NUCLEAR (default) or FROBENIUS. */
        public Builder optDenominator(SpectralDenominator denominator) {
            this.denominator = denominator;
            return this;
        }

        /** Added to the denominator (NLU code: 1e-10; default 0). */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** How the singular vectors are found (default AUTO). */
        public Builder optMethod(SpectralMethod method) {
            this.method = method;
            return this;
        }

        /** AUTO's column threshold for the randomized finder (default 4096). */
        public Builder optRandomizedAboveColumns(int columns) {
            this.randomizedAboveColumns = columns;
            return this;
        }

        /** Randomized finder: extra columns (default 5), power iterations (default 2) and seed (default 42). */
        public Builder optRandomized(int oversampling, int powerIterations, long seed) {
            this.oversampling = oversampling;
            this.powerIterations = powerIterations;
            this.seed = seed;
            return this;
        }

        /** Validates and builds. */
        public SingularValueRatio build() {
            if (topK < 1) {
                throw new IllegalArgumentException("singular-value ratio: setTopK must be >= 1, got " + topK);
            }
            if (denominator == null || method == null) {
                throw new IllegalArgumentException("singular-value ratio: denominator and method must not be null");
            }
            if (denominator == SpectralDenominator.NUCLEAR && method == SpectralMethod.RANDOMIZED) {
                throw new IllegalArgumentException("singular-value ratio: the nuclear-norm denominator needs every"
                        + " singular value; RANDOMIZED finds only the top ones (use AUTO, EXACT or GRAM)");
            }
            if (!(epsilon >= 0) || oversampling < 0 || powerIterations < 0 || randomizedAboveColumns < 0) {
                throw new IllegalArgumentException("singular-value ratio: epsilon, oversampling, power iterations"
                        + " and the column threshold must be >= 0");
            }
            return new SingularValueRatio(this);
        }
    }
}

package dev.balora.regularizers.spectral;

/** The denominator of the top-k singular-value ratio. */
public enum SpectralDenominator {
    /** Sum of all singular values: the ratio lies in (0, 1]. Needs every singular triplet. */
    NUCLEAR,
    /** {@code ||Z||_F = sqrt(sum sigma^2)}: the ratio lies in (0, sqrt(k)]; differentiable directly. */
    FROBENIUS
}

package dev.balora.regularizers.spectral;

/** How the singular vectors of a matrix are found (all without gradient). */
public enum SpectralMethod {
    /** RANDOMIZED for top-k with a Frobenius denominator on wide matrices, EXACT when small, GRAM otherwise. */
    AUTO,
    /** Thin SVD of the whole matrix on the host in float64 (EJML): for small matrices. */
    EXACT,
    /** Eigenvectors of the smaller Gram matrix (product on the device, eigenproblem on the host): every triplet. */
    GRAM,
    /** Randomized range finder (products on the device): the top triplets only. */
    RANDOMIZED
}

/**
 * Singular values with gradients but without an SVD op (method.md section 5): the singular vectors are found with
 * no gradient (exact host SVD, a Gram eigenproblem, or a randomized range finder whose products run on the
 * device), then {@code sigma_i = u_i^T Z v_i} is formed on the device, which has the exact value and the exact
 * gradient {@code u_i v_i^T} for distinct singular values.
 */
package dev.balora.regularizers.spectral;

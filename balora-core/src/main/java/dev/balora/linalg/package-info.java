/**
 * Linear algebra DJL lacks: exact decompositions of small matrices on the host (EJML, float64) and a randomized
 * SVD whose large products run on the array's device.
 */
package dev.balora.linalg;

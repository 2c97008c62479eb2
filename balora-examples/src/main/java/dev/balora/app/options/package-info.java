/**
 * The app's one option vocabulary: each class is a group of picocli options (model, adapters, objective,
 * optimisation, data, output) that turns into the recipe's settings. Every command that takes a group takes the
 * same names, parsed here and nowhere else.
 */
package dev.balora.app.options;

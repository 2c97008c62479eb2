/** The balora command-line application (picocli): one class per command, all printing JSON on stdout. */
package dev.balora.app;

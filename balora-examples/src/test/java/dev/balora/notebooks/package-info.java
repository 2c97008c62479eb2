/** Tests that run the Java notebooks' code cells through JShell, as a notebook kernel would. */
package dev.balora.notebooks;

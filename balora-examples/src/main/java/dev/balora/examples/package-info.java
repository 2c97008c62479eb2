/** Short programs that show the Java API, and the decoder benchmark. */
package dev.balora.examples;

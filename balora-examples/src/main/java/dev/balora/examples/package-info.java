/** Short programs that show the Java API end to end (fine-tuning on GLUE with LoRA, PiSSA or BA-LoRA). */
package dev.balora.examples;

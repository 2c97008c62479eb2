package dev.balora.app;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}: DJL's engine and GPU-probe messages and a stack trace with every error. The app reads it
 * before picocli parses ({@link BaloraApp#execute}), because logging is configured before any DJL class loads.
 */
public final class VerboseOption {
    /** The option's name. */
    static final String NAME = "--verbose";

    @Option(names = NAME, description = "show DJL's engine messages and a stack trace with every error")
    boolean verbose;
}

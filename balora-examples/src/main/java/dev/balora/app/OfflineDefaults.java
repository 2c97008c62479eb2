package dev.balora.app;

/** Makes the app run offline by default: DJL must never reach for the network or report usage. */
final class OfflineDefaults {

    private OfflineDefaults() {}

    /**
     * Sets DJL's offline and no-tracking switches and the log levels, unless the user set them explicitly.
     *
     * @param verbose keep DJL's engine and GPU-probe messages (otherwise a CPU-only machine starts every command
     *     with "Failed to detect GPU count" warnings nobody can act on)
     */
    static void apply(boolean verbose) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("offline", "true");
        setIfAbsent("DJL_OFFLINE", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // Training progress goes to stderr; stdout keeps the command's result. With a progress printer (the default)
        // the trainer's own step and evaluation lines would repeat it; DJL_DISABLE_PROGRESS_BAR=true keeps them.
        setIfAbsent("org.slf4j.simpleLogger.log.dev.balora.train", ProgressPrinter.enabled() && !verbose ? "warn"
                : "info");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.balora.app", "info");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.balora.recipe", "info");
        if (!verbose) {
            setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
            setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.pytorch.jni.LibUtils", "error");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

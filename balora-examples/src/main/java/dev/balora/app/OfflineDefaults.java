package dev.balora.app;

/** Makes the app run offline by default: DJL must never reach for the network or report usage. */
final class OfflineDefaults {

    private OfflineDefaults() {}

    /** Sets DJL's offline and no-tracking switches unless the user set them explicitly. */
    static void apply() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("offline", "true");
        setIfAbsent("DJL_OFFLINE", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // Training progress (step lines, evaluations) goes to stderr; stdout keeps the command's result.
        setIfAbsent("org.slf4j.simpleLogger.log.dev.balora.train", "info");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.balora.app", "info");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

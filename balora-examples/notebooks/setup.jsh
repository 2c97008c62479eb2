// Shared setup: the same cell opens every notebook (notebooks/setup.jsh holds it for plain jshell).
// Everything runs offline on the CPU; DJL must not try to download engines or models.
System.setProperty("ai.djl.offline", "true");
System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");

import java.nio.file.*;
import java.util.*;
import ai.djl.Device;
import dev.balora.adapter.*;
import dev.balora.adapter.peft.*;
import dev.balora.recipe.ModelResolver;
import dev.balora.generate.*;
import dev.balora.model.*;
import dev.balora.model.bert.BertModel;
import dev.balora.model.bert.Pooling;
import dev.balora.model.bert.SentenceEncoder;
import dev.balora.nn.ForwardContext;

// The project's shared data (aidreams260K, GLUE): -Dbalora.shared, else $BALORA_SHARED, else the folder beside
// the repository as seen from balora-examples/notebooks/.
String sharedSetting = System.getProperty("balora.shared", System.getenv("BALORA_SHARED"));
Path shared = Path.of(sharedSetting == null || sharedSetting.isBlank() ? "../../../shared" : sharedSetting);
shared = shared.toAbsolutePath().normalize();

// The largest absolute difference between two sets of vectors (used to compare model outputs).
double maxAbsDiff(float[][] x, float[][] y) {
    double max = 0;
    for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < x[i].length; j++) {
            max = Math.max(max, Math.abs(x[i][j] - y[i][j]));
        }
    }
    return max;
}

// Fails the cell with a message when an expectation does not hold.
void expect(boolean ok, String what) {
    if (!ok) {
        throw new IllegalStateException("expected: " + what);
    }
}

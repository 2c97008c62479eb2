package dev.balora.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small fixed run lists for the report tests. */
final class Runs {
    private Runs() {}

    /** lora, pissa and balora over seeds 1..5 on accuracy and eval_loss; pissa's accuracy gain is significant. */
    static List<RunOutcome> fiveSeeds() {
        double[] lora = {0.70, 0.72, 0.69, 0.71, 0.73};
        double[] pissa = {0.72, 0.75, 0.70, 0.74, 0.74};
        double[] balora = {0.71, 0.71, 0.70, 0.72, 0.72};
        double[][] loss = {{0.60, 0.58, 0.61, 0.59, 0.57}, {0.59, 0.57, 0.60, 0.58, 0.58},
            {0.60, 0.59, 0.60, 0.58, 0.57}};
        List<RunOutcome> runs = new ArrayList<>();
        String[] methods = {"lora", "pissa", "balora"};
        double[][] acc = {lora, pissa, balora};
        for (int m = 0; m < 3; m++) {
            for (int s = 0; s < 5; s++) {
                Map<String, Double> metrics = new LinkedHashMap<>(); // accuracy first: the default primary metric
                metrics.put("accuracy", acc[m][s]);
                metrics.put("eval_loss", loss[m][s]);
                runs.add(new RunOutcome(methods[m], s + 1, metrics));
            }
        }
        return runs;
    }

    /** One seed per method. */
    static List<RunOutcome> oneSeed() {
        return List.of(new RunOutcome("lora", 0, Map.of("accuracy", 0.70)),
                new RunOutcome("pissa", 0, Map.of("accuracy", 0.72)));
    }
}

package dev.balora.examples;

import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraAdapter;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.PissaToLora;
import dev.balora.recipe.ModelResolver;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.model.bert.BertModel;
import dev.balora.model.bert.Pooling;
import dev.balora.model.bert.SentenceEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Attaches PiSSA adapters to all-MiniLM-L6-v2, shows they leave its outputs unchanged, saves them as a PEFT adapter
 * and converts that into a plain LoRA adapter for the original weights.
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.AdaptWithPissa [output-dir]}.
 */
public final class AdaptWithPissa {

    private static final List<String> TEXTS = List.of("PiSSA starts from the principal singular vectors.",
            "The residual weights stay frozen.");

    private AdaptWithPissa() {}

    /**
     * Runs the walk-through.
     *
     * @param args optional output directory (default: a new temporary one)
     */
    public static void main(String[] args) throws IOException {
        Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("balora-pissa");
        double[] gaps = run(out);
        System.out.printf("PiSSA init changes the embeddings by at most %.2e%n", gaps[0]);
        System.out.printf("the converted LoRA adapter on the original weights reproduces them within %.2e%n", gaps[1]);
        System.out.println("adapters written to " + out);
    }

    /**
     * Attaches, saves and converts; returns the largest embedding change PiSSA init caused and the largest gap
     * between the adapted model and the original model with the converted LoRA adapter.
     */
    public static double[] run(Path out) {
        Path model = ModelResolver.resolve(ModelResolver.DEFAULT_MODEL);
        Path tokenizer = model.resolve(HfCheckpoint.TOKENIZER);
        Path pissaDir = out.resolve("pissa-adapter");
        Path loraDir = out.resolve("lora-adapter");
        float[][] before;
        float[][] adapted;
        double initGap;
        try (PretrainedModel bert = Models.load(model);
                SentenceEncoder encoder = SentenceEncoder.of((BertModel) bert, tokenizer)) {
            before = encoder.embed(TEXTS, Pooling.MEAN);

            // Rank-8 adapters on the attention's query and value projections. PiSSA puts the top 8 singular
            // triplets of each W into B·A and leaves the residual W - s·B·A frozen in the base weight.
            AdapterConfig config = AdapterConfig.builder().setTargets("query", "value").optRank(8).optAlpha(8)
                    .optInit(InitMethod.PISSA).optTaskType("FEATURE_EXTRACTION").build();
            LoraModel lora = LoraModel.attach(bert, config);
            System.out.println("trainable parameters: " + lora.parameterCount());
            initGap = maxAbsDiff(before, encoder.embed(TEXTS, Pooling.MEAN));

            // A stand-in for training (see FineTuneSst2): move every B a little so the adapter does something.
            for (LoraAdapter a : lora.adapters().values()) {
                a.b().array().muli(1.1f);
            }
            adapted = encoder.embed(TEXTS, Pooling.MEAN);

            // PEFT layout: adapter_model.safetensors + adapter_config.json. It applies to the RESIDUAL base, so
            // balora also stores the initial factors A0, B0, which the conversion below needs.
            PeftAdapter.save(lora, pissaDir);
        }
        // Rank 2r: A' = [A; A0], B' = [B, -B0], so W + s·B'·A' = W_res + s·B·A. Any LoRA runtime can load it on
        // the untouched base model, with no SVD.
        PissaToLora.convert(pissaDir, loraDir);
        try (PretrainedModel original = Models.load(model);
                SentenceEncoder encoder = SentenceEncoder.of((BertModel) original, tokenizer)) {
            PeftAdapter.load(original, loraDir);
            return new double[] {initGap, maxAbsDiff(adapted, encoder.embed(TEXTS, Pooling.MEAN))};
        }
    }

    private static double maxAbsDiff(float[][] x, float[][] y) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                max = Math.max(max, Math.abs(x[i][j] - y[i][j]));
            }
        }
        return max;
    }
}

package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong arguments to finetune, eval, demo and bench stop with exit code 1 (2 for picocli's own type errors) and a
 * message naming the option and the accepted values, before any model is loaded.
 */
class AppRejectsBadArgumentsClearly {
    @TempDir
    Path tmp;

    @Test
    void finetuneNamesTheOptionAtFault() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("sst"));
        Files.writeString(data.resolve("dev.tsv"), "sentence\tlabel\nfine\t1\n");
        String d = data.toString();
        String o = tmp.resolve("out").toString();
        fails("--task is required", "finetune", "--data", d, "--out", o);
        fails("unknown GLUE task 'sst3'; known: cola, sst2", "finetune", "--task", "sst3", "--data", d, "--out", o);
        fails("unknown method 'dora'; use lora, pissa, pissa-fast, balora", "finetune", "--task", "sst2", "--data", d,
                "--out", o, "--method", "dora");
        fails("unknown preset 'nlu'", "finetune", "--task", "sst2", "--data", d, "--out", o, "--preset", "nlu");
        fails("--rank must be >= 1, got 0", "finetune", "--task", "sst2", "--data", d, "--out", o, "--rank", "0");
        fails("--lr must be > 0", "finetune", "--task", "sst2", "--data", d, "--out", o, "--lr", "-1");
        fails("--warmup-ratio must be in [0, 1], got 1.5", "finetune", "--task", "sst2", "--data", d, "--out", o,
                "--warmup-ratio", "1.5");
        fails("unknown --schedule 'step'", "finetune", "--task", "sst2", "--data", d, "--out", o, "--schedule",
                "step");
        fails("unknown classifier pooling 'max'; use auto, pooler, mean or cls", "finetune", "--task", "sst2",
                "--data", d, "--out", o, "--pooling", "max");
        fails("unknown --bad-rows 'ignore'; use fail or skip", "finetune", "--task", "sst2", "--data", d, "--out", o,
                "--bad-rows", "ignore");
        fails("--out is required", "finetune", "--task", "sst2", "--data", d);
        fails("is not a directory", "finetune", "--task", "sst2", "--data", tmp.resolve("nope").toString(),
                "--out", o);
        fails("no dev_matched.tsv for task mnli in " + data, "finetune", "--task", "mnli", "--data", d, "--out", o);
        fails("no training file " + data.resolve("train.tsv"), "finetune", "--task", "sst2", "--data", d, "--out",
                o);
        fails("--resume " + tmp + ": no run.json there", "finetune", "--resume", tmp.toString());
        fails("--preset nlg-iclr is a causal-lm preset; classification fine-tuning takes nlu-cyp-jlu-ai",
                "finetune", "--task", "sst2", "--data", d, "--out", o, "--preset", "nlg-iclr");
        fails("--preset applies to --method balora only", "finetune", "--task", "sst2", "--data", d, "--out", o,
                "--method", "lora", "--preset", "nlu-early-script");
        fails("--eval-data does not apply to classification fine-tuning", "finetune", "--task", "sst2", "--data", d,
                "--out", o, "--eval-data", d);
        fails("--layout does not apply to classification fine-tuning", "finetune", "--task", "sst2", "--data", d,
                "--out", o, "--layout", "gsm8k");
        fails("unknown --device 'tpu'", "finetune", "--task", "sst2", "--data", d, "--out", o, "--device", "tpu");
        fails("--resume takes every setting from the run's run.json; remove --lr", "finetune", "--resume",
                tmp.toString(), "--lr", "1e-3");
        AppRun typed = AppRun.run(null, "finetune", "--task", "sst2", "--rank", "eight");
        assertEquals(2, typed.code());
        assertTrue(typed.err().contains("Invalid value for option '--rank'"), typed.err());
    }

    @Test
    void evalDemoAndBenchNameTheOptionAtFault() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("sst"));
        Files.writeString(data.resolve("dev.tsv"), "sentence\tlabel\nfine\t1\n");
        fails("--adapter " + tmp + " holds no adapter_config.json", "eval", "--adapter", tmp.toString(),
                "--task", "sst2", "--data", data.toString());
        fails("--max-steps must be >= 1, got 0", "demo", "--max-steps", "0", "--out", tmp.toString());
        fails("--steps must be >= 1, got 0", "bench", "--steps", "0");
        fails("unknown method 'qlora'", "bench", "--methods", "lora,qlora");
        AppRun missing = AppRun.run(null, "eval", "--task", "sst2");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Missing required options: '--adapter=DIR', '--data=DIR'"), missing.err());
    }

    @Test
    void causalLmOptionsAndTargetsAreCheckedToo() throws Exception {
        Path model = dev.balora.fixtures.SharedData.require("models/aidreams260K");
        Path train = tmp.resolve("train.jsonl");
        NlgFinetuneLowersHeldOutLossOnAidreams.writeData(train, 4, 1);
        String m = model.toString();
        String o = tmp.resolve("out").toString();
        fails("--pooling does not apply to causal-lm fine-tuning", "finetune", "--model", m, "--data",
                train.toString(), "--out", o, "--pooling", "mean");
        fails("--data " + tmp.resolve("missing.jsonl") + " is not a file", "finetune", "--model", m, "--data",
                tmp.resolve("missing.jsonl").toString(), "--out", o, "--task", "causal-lm");
        fails("model_type 'llama' is a decoder; GLUE classification needs a bert or roberta encoder", "finetune",
                "--model", m, "--task", "sst2", "--data", tmp.toString(), "--out", o);
        fails("target_modules: unknown module name 'qproj'; the model's Linears are named [down_proj, gate_proj, "
                + "k_proj, lm_head, o_proj, q_proj, up_proj, v_proj]; nearest paths: [model.layers.0.self_attn.q_proj, "
                + "model.layers.1.self_attn.q_proj, model.layers.2.self_attn.q_proj]", "finetune", "--model", m, "--data", train.toString(),
                "--out", o, "--targets", "qproj");
        fails("matches no Linear of the llama model", "finetune", "--model", m, "--data", train.toString(), "--out", o,
                "--target-regex", ".*\\.attention\\..*");
        assertTrue(!Files.exists(tmp.resolve("out").resolve("run.json")), "a refused run writes nothing");
    }

    private static void fails(String expected, String... args) {
        AppRun r = AppRun.run(null, args);
        assertEquals(1, r.code(), String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertEquals("", r.out(), "nothing on stdout after an error");
    }
}

package dev.balora.train;

/** The shape of the learning-rate schedule after warm-up (Hugging Face's {@code lr_scheduler_type} names). */
public enum ScheduleKind {
    /** Constant after warm-up. */
    CONSTANT,
    /** Linear decay from the peak to 0 at the last step. */
    LINEAR,
    /** Half-cosine decay from the peak to the final value at the last step. */
    COSINE
}

package dev.balora.data;

import ai.djl.ndarray.types.DataType;

/** Whether labels are class ids (INT64 in a batch) or real-valued regression targets (FLOAT32). */
public enum LabelType {
    /** Class ids, collated as INT64. */
    CLASSIFICATION(DataType.INT64),
    /** Real targets, collated as FLOAT32. */
    REGRESSION(DataType.FLOAT32);

    private final DataType dataType;

    LabelType(DataType dataType) {
        this.dataType = dataType;
    }

    /** The element type of the label array of a batch. */
    public DataType dataType() {
        return dataType;
    }
}

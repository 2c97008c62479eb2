package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** One named tensor of a layer (a weight, a bias, an adapter factor), with whether training updates it. */
public final class Param {
    private final String name;
    private NDArray array;
    private boolean trainable;

    /**
     * Creates a parameter.
     *
     * @param name its local name inside its layer, e.g. {@code weight}
     * @param array its value; the parameter owns it from now on
     * @param trainable whether the optimizer updates it
     */
    public Param(String name, NDArray array, boolean trainable) {
        this.name = name;
        this.array = array;
        this.trainable = trainable;
    }

    /** The local name inside the layer. */
    public String name() {
        return name;
    }

    /** The current value. */
    public NDArray array() {
        return array;
    }

    /** The shape of the current value. */
    public Shape shape() {
        return array.getShape();
    }

    /** Whether the optimizer updates this parameter. */
    public boolean trainable() {
        return trainable;
    }

    /** Marks the parameter trainable (attaching a gradient) or frozen. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        array.setRequiresGradient(trainable);
    }

    /**
     * Replaces the value (for example with a residual weight), closing the old array.
     *
     * @param value the new value, same shape
     */
    public void replace(NDArray value) {
        if (!value.getShape().equals(array.getShape())) {
            throw new IllegalArgumentException("parameter '" + name + "' has shape " + array.getShape()
                    + ", cannot replace it with " + value.getShape());
        }
        NDArray old = array;
        value.attach(old.getManager());
        array = value;
        if (trainable) {
            array.setRequiresGradient(true);
        }
        if (old != value) {
            old.close();
        }
    }

    @Override
    public String toString() {
        return name + array.getShape() + (trainable ? " trainable" : " frozen");
    }
}

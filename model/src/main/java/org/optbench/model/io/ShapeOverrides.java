package org.optbench.model.io;

/**
 * Model-shape values given on the command line; a null field means "take it from the weights
 * file". Each field's flag name is used in the error when neither source gives a value.
 */
public record ShapeOverrides(Integer vocabSize, Integer dModel, Integer nLayers, Integer nHeads, Integer seqLen) {

    public static ShapeOverrides none() {
        return new ShapeOverrides(null, null, null, null, null);
    }
}

package org.optbench.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;

/**
 * The model a run trains: a preset with optional overrides of its shape, or the shape written in
 * the metadata of the weights it starts from. Null overrides keep the preset's (or the weights')
 * value; the vocabulary defaults to the data's tokenizer.
 *
 * @param preset      a preset name ({@code nano}, {@code micro}, ..., {@code 150m})
 * @param vocab       vocabulary size, or null for the data's (else the preset's)
 * @param dModel      residual width, or null; a new width also sets the MLP to 4x
 * @param layers      transformer blocks, or null
 * @param heads       attention heads, or null
 * @param seqLen      tokens per sequence, or null
 * @param initWeights safetensors file to start from (its metadata gives the shape), or null
 * @param qkNorm      whether q and k pass through their own LayerNorm (null: the preset's, on)
 * @param trainNorms  whether the LayerNorm gains train (null: yes); false holds them at their
 *                    initial 1 with no optimizer group or state, as the authors' {@code no_norm_training}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(String preset, Integer vocab, Integer dModel, Integer layers, Integer heads, Integer seqLen,
                        Path initWeights, Boolean qkNorm, Boolean trainNorms) {

    /** The preset when a run names none. */
    public static final String DEFAULT_PRESET = "nano";

    public ModelSpec {
        preset = preset == null ? DEFAULT_PRESET : preset;
    }

    /** Whether the LayerNorm gains train: unless {@code trainNorms} is false. */
    public boolean trainsNorms() {
        return !Boolean.FALSE.equals(trainNorms);
    }
}

namespace EhrSynth.Generators.Generation;

/// <summary>How a generator draws a cohort.</summary>
public enum CohortMethod
{
    /// <summary>Records drawn from the unconditional model and kept when they satisfy the condition: the model's exact conditional, at the cost of 1/acceptance draws per record.</summary>
    Rejection,

    /// <summary>The model's exact conditional distribution computed directly (a tree model by belief propagation with the condition as evidence; independent codes set).</summary>
    ExactConditional,

    /// <summary>Diffusion inpainting (RePaint's replacement, Lugmayr et al. 2022): the conditioned codes re-imposed, noised to the current level, at every reverse step.</summary>
    Inpainting,

    /// <summary>A language model's prompt lists the required codes and constrained decoding never emits an excluded one.</summary>
    Prompt,
}

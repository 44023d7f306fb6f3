using System.ComponentModel.DataAnnotations;

namespace EhrSynth.Generators.Generation;

/// <summary>
/// Options every generator has. Families derive their own options class; every property carries a documented
/// default equal to the paper and its reference implementation. Options are validated once, when the generator is
/// created, and every problem is listed in one <see cref="ValidationException"/>.
/// </summary>
public abstract class EhrGeneratorOptions : IValidatableObject
{
    /// <summary>
    /// Seed of the data shuffling, the parameter initialisation and sampling. The same seed on CPU reproduces a run
    /// bit for bit. The default value is <see langword="null"/>: a seed is drawn at random and logged.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Where tensors live. The default value is <see cref="ComputeDevice.Auto"/> (CUDA when available, else CPU).</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>Cross-property checks; property ranges are checked with data annotations.</summary>
    /// <param name="validationContext">The context.</param>
    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => [];
}

namespace EhrSynth.Generators.Privacy;

/// <summary>A generator that can be trained with differential privacy and says what its last fit guarantees.</summary>
public interface IDifferentiallyPrivate
{
    /// <summary>The (ε, δ) guarantee of the fit (or of the saved model loaded); <see langword="null"/> when it was not trained privately.</summary>
    PrivacyGuarantee? PrivacyGuarantee { get; }
}

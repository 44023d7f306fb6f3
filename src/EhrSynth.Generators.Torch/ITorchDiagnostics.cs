namespace EhrSynth.Generators.Torch;

/// <summary>Diagnostics of TorchSharp generators for the library's own tests.</summary>
internal interface ITorchDiagnostics
{
    /// <summary>
    /// Builds the model for <paramref name="codeCount"/> codes on an unfitted generator, releases it, and returns how
    /// many live tensor wrappers that left behind. TorchSharp 0.107 counts one orphaned wrapper for each tensor its
    /// module constructors turn into a <c>Parameter</c>; they hold no memory of their own, and leak tests subtract them.
    /// </summary>
    long MeasureModelBuildResidue(int codeCount);

    /// <summary>
    /// Builds the model for <paramref name="codeCount"/> codes on an unfitted generator and returns what
    /// <c>StateSize</c> predicts and how many values its modules' state actually holds; then releases it.
    /// </summary>
    (long? Predicted, long Actual) MeasureStateSize(int codeCount);

    /// <summary>Builds the model for <paramref name="data"/> and runs its data-dependent initialisation, without training (for tests that inspect the initial state).</summary>
    void BuildForInspection(Data.EhrDataset data);
}

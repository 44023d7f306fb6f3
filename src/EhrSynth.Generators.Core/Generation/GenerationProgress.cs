namespace EhrSynth.Generators.Generation;

/// <summary>A progress report from sampling.</summary>
/// <param name="Generated">Records finished so far.</param>
/// <param name="Total">Records requested.</param>
/// <param name="Elapsed">Wall time since sampling started.</param>
public readonly record struct GenerationProgress(int Generated, int Total, TimeSpan Elapsed);

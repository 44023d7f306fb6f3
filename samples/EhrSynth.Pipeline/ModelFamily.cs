using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Pipeline;

/// <summary>A generator family the pipeline can train, with its budgets and loader.</summary>
/// <param name="Name">Name used on the command line and in reports (for example <c>vae</c>).</param>
/// <param name="Display">Row name in tables.</param>
/// <param name="Create">Creates an unfitted generator for a budget, seed, device and optional epoch override.</param>
/// <param name="Load">Loads a saved generator.</param>
/// <param name="Describe">One line saying what a budget (with an optional epoch override) trains.</param>
/// <param name="PaperCpuHours">A rough CPU time of the paper budget on UCI Diabetes with 2 cores, for the warning.</param>
public sealed record ModelFamily(
    string Name,
    string Display,
    Func<Budget, int, ComputeDevice, int?, IEhrGenerator> Create,
    Func<string, CodeVocabulary?, IEhrGenerator> Load,
    Func<Budget, int?, string> Describe,
    double PaperCpuHours);

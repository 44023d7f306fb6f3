using EhrSynth.Generators.Data;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Gan;

/// <summary>Runs <see cref="ModeCollapse"/> at the end of a GAN fit.</summary>
internal static class GanCollapseCheck
{
    private const int SampleSize = 2_000;

    public static string? Run<TOptions>(Torch.TorchGeneratorBase<TOptions> generator, TOptions options, ILogger logger)
        where TOptions : GanOptions
    {
        if (!options.CheckModeCollapse || generator.TrainingData is not { } train)
        {
            return null;
        }

        using var rng = new Generator((ulong)Torch.SeedScope.Derive(options.Seed ?? 0, -7), generator.Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int n = Math.Min(SampleSize, train.PatientCount);
        var synthetic = generator.Sample(n, rng, null, CancellationToken.None);
        EhrDataset real = train.PatientCount > n ? train.Sample(n, 17) : train;
        var warning = ModeCollapse.Check(generator.Name, synthetic, real);
        if (warning is not null)
        {
            Log.ModeCollapse(logger, warning);
            if (options.FailOnModeCollapse)
            {
                throw new ModeCollapseException(warning);
            }
        }

        return warning;
    }
}

using EhrSynth.Generators.Data;
using Microsoft.Extensions.Logging;

namespace EhrSynth.Generators.Gan;

/// <summary>Runs <see cref="ModeCollapse"/> at the end of a GAN fit.</summary>
internal static class GanCollapseCheck
{
    private const int SampleSize = 2_000;

    /// <summary>Samples up to 2,000 records with <paramref name="sample"/> and compares them with as many training records.</summary>
    public static string? Run(string name, GanOptions options, EhrDataset? train, Func<int, EhrDataset> sample, ILogger logger)
    {
        if (!options.CheckModeCollapse || train is null)
        {
            return null;
        }

        int n = Math.Min(SampleSize, train.PatientCount);
        var synthetic = sample(n);
        EhrDataset real = train.PatientCount > n ? train.Sample(n, 17) : train;
        var warning = ModeCollapse.Check(name, synthetic, real);
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

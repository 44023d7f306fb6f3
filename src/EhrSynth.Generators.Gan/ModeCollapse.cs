using System.Globalization;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Gan;

/// <summary>Detects mode collapse by comparing a synthetic sample with a real one of the same size.</summary>
internal static class ModeCollapse
{
    /// <summary>A warning, or <see langword="null"/> when the sample looks diverse enough.</summary>
    public static string? Check(string model, EhrDataset synthetic, EhrDataset real)
    {
        double distinctSynthetic = Distinct(synthetic) / (double)synthetic.PatientCount;
        double distinctReal = Distinct(real) / (double)real.PatientCount;
        var ps = synthetic.CodePrevalence();
        var pr = real.CodePrevalence();
        int present = pr.Count(p => p > 0);
        int never = Enumerable.Range(0, pr.Length).Count(c => pr[c] > 0 && ps[c] == 0);
        var problems = new List<string>();
        if (distinctSynthetic < 0.5 * distinctReal)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"only {distinctSynthetic:P1} of sampled records are distinct (real: {distinctReal:P1})"));
        }

        if (present > 0 && never > present / 2)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{never} of {present} codes seen in the training sample were never generated"));
        }

        return problems.Count == 0 ? null : $"{model} looks mode-collapsed: {string.Join("; ", problems)}. Train longer, or check the losses.";
    }

    private static int Distinct(EhrDataset data)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int p = 0; p < data.PatientCount; p++)
        {
            set.Add(string.Join(',', data.GetCodes(p).ToArray()));
        }

        return set.Count;
    }
}

using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>Random sparse binary data of MIMIC-III's shape: 1,071 codes, ~13 codes per patient, Zipf-like prevalence.</summary>
internal static class MimicScaleData
{
    public static EhrDataset Create(int patients, int seed, int codes = 1_071, double meanCodes = 13.3)
    {
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, codes).Select(i => $"D{i:D4}"));
        var weights = Enumerable.Range(1, codes).Select(r => 1.0 / r).ToArray();
        double scale = meanCodes / weights.Sum();
        var builder = new EhrDatasetBuilder(vocabulary, "p");
        var rng = new Random(seed);
        var row = new List<int>();
        for (int p = 0; p < patients; p++)
        {
            row.Clear();
            for (int c = 0; c < codes; c++)
            {
                if (rng.NextDouble() < Math.Min(0.6, weights[c] * scale))
                {
                    row.Add(c);
                }
            }

            builder.AddPatient(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }

        return builder.Build();
    }
}

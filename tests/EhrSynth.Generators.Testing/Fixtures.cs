using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Testing;

/// <summary>Small datasets with known structure for fast tests.</summary>
public static class Fixtures
{
    /// <summary>
    /// A hand-written source under <c>tests/fixtures</c> (MIMIC-IV, OMOP, Parquet written by DuckDB), copied beside the
    /// test assembly; see its README for what each holds.
    /// </summary>
    public static string Source(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>
    /// <paramref name="data"/> with its vocabulary declared public (<see cref="CodeVocabulary.AsPublic"/>), as a private
    /// fit requires. For tests: the fixtures' codes are synthetic, not read from patients.
    /// </summary>
    public static EhrDataset Public(EhrDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.AlignTo(data.Vocabulary.AsPublic());
    }

    /// <summary>
    /// A structured dataset: <paramref name="codes"/> codes in blocks of 4 that tend to co-occur, with
    /// prevalences that fall off across blocks, so a model that learns anything reproduces the ranking.
    /// Deterministic for a seed.
    /// </summary>
    public static EhrDataset Structured(int patients = 64, int codes = 20, int seed = 7)
    {
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, codes).Select(i => $"C{i:D3}"));
        var builder = new EhrDatasetBuilder(vocabulary);
        var rng = new Random(seed);
        int blocks = (codes + 3) / 4;
        var row = new List<int>();
        for (int p = 0; p < patients; p++)
        {
            row.Clear();
            for (int b = 0; b < blocks; b++)
            {
                double blockProbability = 0.75 / (1 + b);
                if (rng.NextDouble() < blockProbability)
                {
                    for (int k = 0; k < 4; k++)
                    {
                        int c = (b * 4) + k;
                        if (c < codes && rng.NextDouble() < 0.9 - (0.15 * k))
                        {
                            row.Add(c);
                        }
                    }
                }
            }

            if (row.Count == 0)
            {
                row.Add(rng.Next(codes));
            }

            builder.AddPatient($"P{p:D4}", System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }

        return builder.Build();
    }

    /// <summary>Independent random binary data with prevalence <paramref name="p"/>.</summary>
    public static EhrDataset Random(int patients, int codes, double p, int seed)
    {
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, codes).Select(i => $"R{i}"));
        var builder = new EhrDatasetBuilder(vocabulary);
        var rng = new Random(seed);
        var row = new List<int>();
        for (int i = 0; i < patients; i++)
        {
            row.Clear();
            for (int c = 0; c < codes; c++)
            {
                if (rng.NextDouble() < p)
                {
                    row.Add(c);
                }
            }

            builder.AddPatient($"P{i}", System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }

        return builder.Build();
    }

    /// <summary>Dense 0/1 copy of a dataset as a double matrix, for naive reference implementations.</summary>
    public static double[,] Dense(EhrDataset data)
    {
        var x = new double[data.PatientCount, data.CodeCount];
        for (int p = 0; p < data.PatientCount; p++)
        {
            foreach (int c in data.GetCodes(p))
            {
                x[p, c] = 1;
            }
        }

        return x;
    }
}

namespace EhrSynth.Generators.Testing;

/// <summary>Textbook float64 statistics, written independently of the library's kernels, for tests to compare against.</summary>
public static class NaiveStatistics
{
    /// <summary>Pearson's r by the two-pass formula.</summary>
    public static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>
    /// Off-diagonal covariance error of <paramref name="synthetic"/> against <paramref name="real"/>:
    /// Σ_{i&lt;j} |C_syn − C_real| / Σ_{i&lt;j} |C_real|, with C_ij = E[x_i x_j] − E[x_i] E[x_j]. 0 is a perfect match; a
    /// sample with independent codes scores about 1.
    /// </summary>
    public static double CovarianceError(Data.EhrDataset synthetic, Data.EhrDataset real)
    {
        var cs = Covariance(synthetic, real.Vocabulary);
        var cr = Covariance(real, real.Vocabulary);
        double diff = 0, norm = 0;
        for (int i = 0; i < cr.GetLength(0); i++)
        {
            for (int j = i + 1; j < cr.GetLength(1); j++)
            {
                diff += Math.Abs(cs[i, j] - cr[i, j]);
                norm += Math.Abs(cr[i, j]);
            }
        }

        return diff / norm;
    }

    /// <summary>Codes drawn independently at the prevalence of <paramref name="data"/> (the floor a generator must beat).</summary>
    public static Data.EhrDataset IndependentSample(Data.EhrDataset data, int count, int seed)
    {
        var prevalence = new double[data.CodeCount];
        for (int p = 0; p < data.PatientCount; p++)
        {
            foreach (int c in data.GetCodes(p))
            {
                prevalence[c] += 1.0 / data.PatientCount;
            }
        }

        var rng = new Random(seed);
        var builder = new Data.EhrDatasetBuilder(data.Vocabulary);
        var row = new List<int>();
        for (int p = 0; p < count; p++)
        {
            row.Clear();
            for (int c = 0; c < data.CodeCount; c++)
            {
                if (rng.NextDouble() < prevalence[c])
                {
                    row.Add(c);
                }
            }

            builder.AddPatient($"f{p}", System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }

        return builder.Build();
    }

    private static double[,] Covariance(Data.EhrDataset data, Data.CodeVocabulary vocabulary)
    {
        int d = vocabulary.Count, n = data.PatientCount;
        var index = Enumerable.Range(0, data.CodeCount).Select(c => vocabulary.IndexOf(data.Vocabulary[c])).ToArray();
        var mean = new double[d];
        var joint = new double[d, d];
        for (int p = 0; p < n; p++)
        {
            var codes = data.GetCodes(p).ToArray().Select(c => index[c]).Where(c => c >= 0).ToArray();
            foreach (int a in codes)
            {
                mean[a] += 1.0 / n;
                foreach (int b in codes)
                {
                    joint[a, b] += 1.0 / n;
                }
            }
        }

        var cov = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                cov[i, j] = joint[i, j] - (mean[i] * mean[j]);
            }
        }

        return cov;
    }
}

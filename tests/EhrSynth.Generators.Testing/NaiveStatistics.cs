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
}

using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch.Tests;

public class PrevalenceCalibrationTests
{
    [Fact]
    public void Offsets_ForConstantLogits_AreTheLogOddsDifference_HandComputed()
    {
        using var scope = NewDisposeScope();
        // Every sample has log-odds 0 for code 0 and ln 3 for code 1 (p = 0.75); the targets are 0.2 and 0.5.
        var logits = tensor(new float[,] { { 0f, (float)Math.Log(3) }, { 0f, (float)Math.Log(3) } });
        var offsets = PrevalenceCalibration.FitOffsets(logits, [0.2, 0.5]);
        Assert.Equal(Math.Log(0.2 / 0.8), offsets[0], 4);                       // logit(0.2) − 0
        Assert.Equal(-Math.Log(3), offsets[1], 4);                               // logit(0.5) − ln 3
    }

    [Fact]
    public void Offsets_EqualANaiveDoublePrecisionSolve_AndKeepEachRecordsOrder()
    {
        using var scope = NewDisposeScope();
        var rng = new Random(5);
        const int m = 400, d = 6;
        var values = new float[m, d];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < d; j++)
            {
                values[i, j] = (float)((rng.NextDouble() * 6) - 3 - j);
            }
        }

        double[] target = [0.01, 0.05, 0.1, 0.3, 0.6, 0.0];
        var offsets = PrevalenceCalibration.FitOffsets(tensor(values), target);

        for (int j = 0; j < d - 1; j++)
        {
            // Naive: bisection on f(δ) = mean σ(ℓ + δ) − p in doubles, one code at a time.
            double lo = -30, hi = 30;
            for (int it = 0; it < 100; it++)
            {
                double mid = (lo + hi) / 2, mean = 0;
                for (int i = 0; i < m; i++)
                {
                    mean += 1 / (1 + Math.Exp(-(values[i, j] + mid)));
                }

                (lo, hi) = mean / m > target[j] ? (lo, mid) : (mid, hi);
            }

            Assert.Equal((lo + hi) / 2, offsets[j], tolerance: 1e-4);
        }

        Assert.Equal(PrevalenceCalibration.Never, offsets[d - 1]);             // no training patient has it: never generated

        // Applied to probabilities, the mean is the target and each record keeps its rank within a code.
        var p = tensor(values).sigmoid();
        var calibrated = PrevalenceCalibration.Apply(p, tensor(offsets));
        var means = calibrated.mean([0]).data<float>().ToArray();
        for (int j = 0; j < d; j++)
        {
            Assert.Equal(target[j], means[j], 3);
        }

        var before = p.data<float>().ToArray();
        var after = calibrated.data<float>().ToArray();
        for (int j = 0; j < d - 1; j++)
        {
            var order = Enumerable.Range(0, m).OrderBy(i => before[(i * d) + j]).ToArray();
            for (int k = 1; k < m; k++)
            {
                Assert.True(after[(order[k] * d) + j] >= after[(order[k - 1] * d) + j], $"code {j}: calibration changed the order of records");
            }
        }
    }
}

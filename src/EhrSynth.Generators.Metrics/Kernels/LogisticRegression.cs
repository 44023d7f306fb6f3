using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Metrics.Kernels;

/// <summary>
/// L2-regularised logistic regression on binary features, fitted by plain stochastic gradient descent over
/// shuffled epochs with sparse updates (only a record's present codes touch the weights; the L2 shrinkage is applied
/// lazily). Predicts one code from all the other codes of a record, as in medGAN's dimension-wise prediction.
/// Deterministic for a seed.
/// </summary>
internal sealed class LogisticRegression
{
    private readonly double[] _w;
    private double _bias;

    private LogisticRegression(int features) => _w = new double[features];

    /// <summary>Fits <c>P(code target | other codes)</c> on the given records of <paramref name="data"/>.</summary>
    public static LogisticRegression Fit(EhrDataset data, ReadOnlySpan<int> records, int target, int epochs, double learningRate, double l2, int seed)
    {
        var model = new LogisticRegression(data.CodeCount);
        var order = records.ToArray();
        var rng = new Random(seed);
        // Lazy L2: a weight is brought up to date (shrunk for the steps it missed) only when a record uses it.
        var lastStep = new long[data.CodeCount];
        double shrink = 1 - (learningRate * l2);
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            rng.Shuffle(order);
            foreach (int p in order)
            {
                step++;
                var codes = data.GetCodes(p);
                double z = model._bias;
                bool y = false;
                foreach (int c in codes)
                {
                    if (c == target)
                    {
                        y = true;
                        continue;
                    }

                    model.CatchUp(c, step, shrink, lastStep);
                    z += model._w[c];
                }

                double g = Sigmoid(z) - (y ? 1 : 0);
                model._bias -= learningRate * g;
                foreach (int c in codes)
                {
                    if (c != target)
                    {
                        model._w[c] -= learningRate * g;
                    }
                }
            }
        }

        for (int c = 0; c < data.CodeCount; c++)
        {
            model.CatchUp(c, step, shrink, lastStep);
        }

        return model;
    }

    /// <summary>Whether the model predicts the target code for a record (probability ≥ 0.5).</summary>
    public bool Predict(ReadOnlySpan<int> codes, int target)
    {
        double z = _bias;
        foreach (int c in codes)
        {
            if (c != target)
            {
                z += _w[c];
            }
        }

        return z >= 0;
    }

    private void CatchUp(int c, long step, double shrink, long[] lastStep)
    {
        long gap = step - 1 - lastStep[c];
        if (gap > 0)
        {
            _w[c] *= Math.Pow(shrink, gap);
        }

        lastStep[c] = step - 1;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}

using EhrSynth.Generators.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// Builds dense 0/1 batches on the device from the sparse dataset: only the (row, column) indices of the ones go
/// host → device, and the dense batch is filled there with <c>index_put_</c>. No dense host copy per batch.
/// </summary>
public static class DenseBatch
{
    /// <summary>A <c>[patients.Length, data.CodeCount]</c> float batch on <paramref name="device"/>.</summary>
    public static Tensor Build(EhrDataset data, ReadOnlySpan<int> patients, Device device)
    {
        int nnz = data.CountStored(patients);
        var rows = new long[nnz];
        var cols = new long[nnz];
        data.CopyCoordinates(patients, rows, cols);
        var batch = zeros(patients.Length, data.CodeCount, device: device);       // [B, D]
        if (nnz > 0)
        {
            using var r = tensor(rows, device: device);                            // [nnz]
            using var c = tensor(cols, device: device);                            // [nnz]
            using var one = tensor(1f, device: device);                            // []
            batch.index_put_(one, r, c);
        }

        return batch;
    }

    /// <summary>
    /// Samples <paramref name="count"/> records in batches of <see cref="ProbabilisticGeneratorOptions.GenerationBatchSize"/>:
    /// <paramref name="probabilities"/> maps a batch size b to a <c>[b, D]</c> tensor of code probabilities, which
    /// <see cref="AppendBinary"/> binarises as the options say. Each batch runs in its own dispose scope.
    /// </summary>
    public static EhrDataset SampleRecords(
        CodeVocabulary vocabulary,
        ProbabilisticGeneratorOptions options,
        int count,
        Func<int, Tensor> probabilities,
        Generator rng,
        IProgress<Generation.GenerationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var builder = new EhrDatasetBuilder(vocabulary, "syn-");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int done = 0; done < count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int b = Math.Min(options.GenerationBatchSize, count - done);
            using var scope = NewDisposeScope();
            AppendBinary(probabilities(b), options.Binarization, options.Threshold, rng, builder);   // [b, D] → b records
            done += b;
            progress?.Report(new Generation.GenerationProgress(done, count, watch.Elapsed));
        }

        return builder.Build();
    }

    /// <summary>
    /// Turns a device tensor of probabilities <c>[B, D]</c> into binary records (Bernoulli draws with
    /// <paramref name="rng"/>, or a threshold) and copies only the coordinates of the ones to the host.
    /// </summary>
    public static void AppendBinary(Tensor probabilities, Generation.BinarizationMode mode, double threshold, Generator rng, EhrDatasetBuilder builder)
    {
        using var scope = NewDisposeScope();

        using var cut = threshold.ToScalar();                                        // kept alive: see RootedScalars
        var p = probabilities.ClampTo(0, 1);                                         // [B, D]
        var ones = mode == Generation.BinarizationMode.Bernoulli
            ? bernoulli(p, rng)                                                     // [B, D] of 0/1
            : p.ge(cut).to_type(ScalarType.Float32);                                // [B, D] of 0/1
        var at = ones.nonzero().cpu();                                              // [nnz, 2] (row, column), sorted
        // TorchSharp's accessor throws on an empty tensor: a batch of all-empty records (a 0.5 threshold over
        // probabilities that all stay below it) must still give its records.
        long[] coordinates = at.shape[0] == 0 ? [] : at.data<long>().ToArray();
        int batch = (int)probabilities.shape[0];
        var row = new List<int>();
        int k = 0;
        for (int b = 0; b < batch; b++)
        {
            row.Clear();
            while (k < coordinates.Length && coordinates[k] == b)
            {
                row.Add((int)coordinates[k + 1]);
                k += 2;
            }

            builder.AddPatient(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(row));
        }
    }
}

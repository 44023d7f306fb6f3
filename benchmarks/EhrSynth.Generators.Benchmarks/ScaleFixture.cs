using System.Runtime.InteropServices;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// Claims-sized binary data with a realistic sparsity for <c>--evaluate-scale</c>: <c>D</c> codes, about four codes
/// per patient (1 + Poisson(3)), a long-tailed prevalence (Zipf, exponent 1.1, over all codes) and correlation from
/// 200 topics (each patient has one, Zipf over topics; each code comes from the topic's 100 codes with probability
/// 0.6, else from the whole vocabulary). Written as long Parquet in parts of at most 100,000 patients (at least four), so a fixture of any size
/// is made in bounded memory: the real set (<c>real.parquet</c>), and the synthetic set both whole
/// (<c>synthetic.parquet</c>) and as four shards (<c>synthetic/shard-0.parquet</c> …) holding the same records.
/// </summary>
internal static class ScaleFixture
{
    private const int Topics = 200;
    private const int TopicCodes = 100;

    /// <summary>Writes the fixture of <paramref name="patients"/> per side over <paramref name="codes"/> codes into <paramref name="folder"/>.</summary>
    public static void Write(string folder, int patients, int codes)
    {
        Directory.CreateDirectory(Path.Combine(folder, "synthetic"));
        var vocabulary = new CodeVocabulary(Enumerable.Range(0, codes).Select(i => $"C{i:D5}"));
        var global = Cumulative(codes, 1.1);
        var topicWeights = Cumulative(Topics, 1.0);
        var structure = new Random(0);
        var topics = new int[Topics][];
        for (int t = 0; t < Topics; t++)
        {
            topics[t] = Enumerable.Range(0, TopicCodes).Select(_ => Draw(global, structure)).ToArray();   // a topic favours common codes too
        }

        var within = Cumulative(TopicCodes, 1.0);
        EhrDataset Part(int seed, int size, string prefix = "p")
        {
            var rng = new Random(seed);
            var builder = new EhrDatasetBuilder(vocabulary, prefix);
            var row = new List<int>();
            for (int p = 0; p < size; p++)
            {
                row.Clear();
                int topic = Draw(topicWeights, rng);
                int length = 1 + Poisson(3.0, rng);
                for (int k = 0; k < length; k++)
                {
                    int code = rng.NextDouble() < 0.6 ? topics[topic][Draw(within, rng)] : Draw(global, rng);
                    if (!row.Contains(code))
                    {
                        row.Add(code);
                    }
                }

                row.Sort();
                builder.AddPatient(CollectionsMarshal.AsSpan(row));
            }

            return builder.Build();
        }

        int partSize = Math.Min(100_000, (patients + 3) / 4);                   // at least four parts, one per shard
        int parts = (patients + partSize - 1) / partSize;
        WriteParts(Path.Combine(folder, "real.parquet"), parts, part => Part(1_000 + part, Size(part), $"real-{part}-"));

        const int shards = 4;
        using (var whole = File.Create(Path.Combine(folder, "synthetic.parquet")))
        using (var wholeWriter = new LongParquetWriter(whole, includeTitles: false))
        {
            long offset = 0;
            for (int shard = 0; shard < shards; shard++)
            {
                using var stream = File.Create(Path.Combine(folder, "synthetic", $"shard-{shard}.parquet"));
                using var writer = new LongParquetWriter(stream, includeTitles: false);
                for (int part = parts * shard / shards; part < parts * (shard + 1) / shards; part++)
                {
                    var data = Part(2_000 + part, Size(part));
                    writer.Append(data, idOffset: offset);
                    wholeWriter.Append(data, idOffset: offset);
                    offset += data.PatientCount;
                }
            }
        }

        int Size(int part) => (int)Math.Min(partSize, patients - ((long)part * partSize));
    }

    private static void WriteParts(string path, int parts, Func<int, EhrDataset> part)
    {
        using var stream = File.Create(path);
        using var writer = new LongParquetWriter(stream, includeTitles: false);
        for (int k = 0; k < parts; k++)
        {
            var data = part(k);
            writer.Append(data);
        }
    }

    /// <summary>Cumulative Zipf weights 1/(r+1)^s over <paramref name="n"/> ranks, normalised to end at 1.</summary>
    private static double[] Cumulative(int n, double s)
    {
        var cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++)
        {
            sum += 1.0 / Math.Pow(r + 1, s);
            cumulative[r] = sum;
        }

        for (int r = 0; r < n; r++)
        {
            cumulative[r] /= sum;
        }

        return cumulative;
    }

    private static int Draw(double[] cumulative, Random rng)
    {
        int i = Array.BinarySearch(cumulative, rng.NextDouble());
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }

    private static int Poisson(double mean, Random rng)
    {
        double limit = Math.Exp(-mean), product = rng.NextDouble();
        int k = 0;
        while (product > limit)
        {
            product *= rng.NextDouble();
            k++;
        }

        return k;
    }
}

using System.Diagnostics;
using EhrSynth.Generators.Llm;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// The cost of constrained decoding per step at the same batch size (issue #16's measure, not flattered by finished
/// rows): the quick-preset LLM fitted for one epoch on 2,000 MIMIC-sized patients decodes one batch of 256 records with
/// and without the trie constraint, with batch compaction off, so every step of both runs decodes 256 rows. Prints the
/// milliseconds per step (median of 5 after a warm-up) for each tokenizer, and a checksum of 500 generated records
/// (unchanged by any speed-up that keeps the sampler's draws). Run: <c>dotnet …Benchmarks.dll --profile-decoding</c>.
/// </summary>
internal static class DecodingProfile
{
    public static int Run()
    {
        foreach (var tokenizer in new[] { LlmTokenizer.Code, LlmTokenizer.Gpt2Bpe })
        {
            var options = LlmOptions.Quick(1);
            options.Tokenizer = tokenizer;
            options.Threads = 2;
            using var llm = new LlmGenerator(options);
            llm.FitAsync(MimicScaleData.Create(2_000, seed: 1)).GetAwaiter().GetResult();
            var sample = llm.Generate(500, seed: 2);
            long checksum = 17;
            for (int p = 0; p < sample.PatientCount; p++)
            {
                foreach (int c in sample.GetCodes(p))
                {
                    checksum = unchecked((checksum * 31) + c + 1);
                }

                checksum = unchecked(checksum * 31);
            }

            var perStep = new Dictionary<bool, double>();
            foreach (bool constrained in new[] { false, true })
            {
                llm.SampleBatch(256, constrained, seed: 1, compact: false);
                var times = new List<double>();
                int steps = 0;
                for (int r = 0; r < 5; r++)
                {
                    var watch = Stopwatch.StartNew();
                    (_, steps) = llm.SampleBatch(256, constrained, seed: 10 + r, compact: false);
                    times.Add(watch.Elapsed.TotalMilliseconds / steps);
                }

                times.Sort();
                perStep[constrained] = times[2];
                Console.WriteLine($"{tokenizer,-8} {(constrained ? "constrained" : "unconstrained"),-14} {times[2],8:F2} ms per step at batch 256 ({steps} steps in the last run)");
            }

            Console.WriteLine($"{tokenizer,-8} constrained ÷ unconstrained per step: {perStep[true] / perStep[false]:F2}; checksum of 500 records {checksum:X16}");
        }

        return 0;
    }
}

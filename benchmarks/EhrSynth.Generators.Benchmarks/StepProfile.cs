using System.Diagnostics;
using EhrSynth.Generators.Diffusion;
using EhrSynth.Generators.Gan.Modules;
using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Vae.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Benchmarks;

/// <summary>
/// Where a training step's time goes, stage by stage, for the steps whose side-by-side ratio is above 1 (MLP VAE,
/// medGAN, EHRDiff), and the EHRDiff/DDPM denoiser's matrix products alone. Each stage is what the family's own step
/// does, with the library's modules, optimizers, EMA and dense-batch builder; <c>benchmarks/pytorch/profile_steps.py</c>
/// times the same stages in PyTorch. Median of 20 steps after 3 warm-ups, in milliseconds.
/// Run: <c>dotnet …Benchmarks.dll --profile-steps</c> (or <c>compare.sh --profile-steps</c> for both sides).
/// </summary>
internal static class StepProfile
{
    private const int Codes = 1_071, Warmup = 3, Measured = 20;

    public static int Run()
    {
        set_num_threads(2);
        Print("vae-mlp", VaeMlp());
        Print("medgan", MedGan());
        Print("ehrdiff", EhrDiff());
        Print("denoiser", DenoiserProducts());
        return 0;
    }

    /// <summary>The denoiser's six matrix products at the generation batch of 1,000 (Linear forward: x·Wᵀ + b; the two 384 × 384 ones add up).</summary>
    private static Dictionary<string, List<double>> DenoiserProducts()
    {
        random.manual_seed(1);
        int[] widths = [Codes, 1_024, 384, 384, 384, 1_024, Codes];
        var clock = new Clock();
        var layers = Enumerable.Range(0, widths.Length - 1).Select(i => (X: randn(1_000, widths[i]), W: randn(widths[i + 1], widths[i]), B: randn(widths[i + 1]))).ToList();
        using var noGrad = no_grad();
        for (int s = 0; s < Warmup + Measured; s++)
        {
            using var scope = NewDisposeScope();
            clock.Begin(s >= Warmup);
            foreach (var (x, w, b) in layers)
            {
                nn.functional.linear(x, w, b);                                                   // [1000, out]
                clock.Lap($"linear 1000×{w.shape[1]}×{w.shape[0]}");
            }
        }

        return clock.Finish();
    }

    /// <summary>The MLP VAE's step (quick preset): batch 500, Adam 1e-3, summed BCE + KL.</summary>
    private static Dictionary<string, List<double>> VaeMlp()
    {
        random.manual_seed(1);
        const int B = 500;
        var data = MimicScaleData.Create(B * 8, seed: 1, codes: Codes);
        using var encoder = new MlpEncoderNet(Codes, 256, 128);
        using var decoder = new MlpDecoderNet(Codes, 256, 128);
        using var adam = new Torch.Optimizers.Adam(encoder.parameters().Concat(decoder.parameters()), 1e-3);
        var clock = new Clock();
        for (int s = 0; s < Warmup + Measured; s++)
        {
            using var scope = NewDisposeScope();
            clock.Begin(s >= Warmup);
            var x = TimedBatch(clock, "dense batch", data, s, B);                            // [B, D]
            var (mu, logVar) = encoder.call(x);                                                // [B, Z] each
            var z = mu + (randn(mu.shape) * (logVar * 0.5).exp());                            // [B, Z]
            var bce = nn.functional.binary_cross_entropy_with_logits(decoder.call(z), x, reduction: nn.Reduction.Sum);
            var kl = (logVar + 1 - mu.square() - logVar.exp()).sum() * -0.5;                  // []
            var loss = bce + kl;                                                               // []
            clock.Lap("forward + loss");
            adam.zero_grad();
            loss.backward();
            clock.Lap("backward");
            adam.Step();
            clock.Lap("optimizer");
            _ = (loss.item<float>(), bce.item<float>(), kl.item<float>());
            clock.Lap("read-back");
        }

        return clock.Finish();
    }

    /// <summary>medGAN's reference step: batch 1,000, two discriminator updates, one generator update.</summary>
    private static Dictionary<string, List<double>> MedGan()
    {
        random.manual_seed(1);
        const int B = 1_000;
        var data = MimicScaleData.Create(B * 8, seed: 1, codes: Codes);
        using var ae = new MedGanAutoencoderNet(Codes, 128);
        using var gen = new ResidualGeneratorNet(128, 3, bias: false);
        using var disc = new MinibatchDiscriminatorNet(Codes, [256, 128], true);
        using var optG = new Torch.Optimizers.Adam(gen.parameters().Concat(ae.DecoderParameters), 1e-3, weightDecay: 1e-3);
        using var optD = new Torch.Optimizers.Adam(disc.parameters(), 1e-3, weightDecay: 1e-3);
        var clock = new Clock();
        for (int s = 0; s < Warmup + Measured; s++)
        {
            clock.Begin(s >= Warmup);
            disc.train();
            for (int k = 0; k < 2; k++)
            {
                using var scope = NewDisposeScope();
                var real = TimedBatch(clock, "dense batch ×2", data, (2 * s) + k, B);           // [B, D]
                gen.eval();
                Tensor fake;
                using (no_grad())
                {
                    fake = ae.Decode(gen.call(randn(B, 128))).sigmoid();                       // [B, D]
                }

                clock.Lap("D: fakes ×2");
                var rl = disc.call(real);                                                      // [B]
                var fl = disc.call(fake);                                                      // [B]
                var loss = nn.functional.binary_cross_entropy_with_logits(rl, ones_like(rl)) + nn.functional.binary_cross_entropy_with_logits(fl, zeros_like(fl));
                clock.Lap("D: forward + loss ×2");
                optD.zero_grad();
                loss.backward();
                clock.Lap("D: backward ×2");
                optD.Step();
                clock.Lap("D: optimizer ×2");
                _ = (loss.item<float>(), rl.gt(0).sum().item<long>(), fl.gt(0).sum().item<long>());
                clock.Lap("read-back");
            }

            using var outer = NewDisposeScope();
            gen.train();
            ae.train();
            var generated = ae.Decode(gen.call(randn(B, 128))).sigmoid();                      // [B, D]
            var gLoss = nn.functional.binary_cross_entropy_with_logits(disc.call(generated), ones(B));
            clock.Lap("G: forward + loss");
            optG.zero_grad();
            gLoss.backward();
            clock.Lap("G: backward");
            optG.Step();
            clock.Lap("G: optimizer");
            _ = gLoss.item<float>();
            clock.Lap("read-back");
        }

        return clock.Finish();
    }

    /// <summary>EHRDiff's reference v2 step: batch 1,024, EDM loss, AdamW with its learning-rate assignment, EMA.</summary>
    private static Dictionary<string, List<double>> EhrDiff()
    {
        const int B = 1_024;
        var data = MimicScaleData.Create(B * 8, seed: 1, codes: Codes);
        using var g = new EhrDiffGenerator(new EhrDiffOptions { Epochs = 1, Seed = 1, Threads = 2 });
        g.FitAsync(MimicScaleData.Create(B, seed: 2, codes: Codes)).GetAwaiter().GetResult();   // builds the networks
        var net = g.Net;
        using var adam = new Torch.Optimizers.AdamW(net.parameters(), 3e-4);
        using var rng = new Generator(1);
        var clock = new Clock();
        for (int s = 0; s < Warmup + Measured; s++)
        {
            using var scope = NewDisposeScope();
            clock.Begin(s >= Warmup);
            var x = TimedBatch(clock, "dense batch", data, s, B);                            // [B, D]
            LearningRateSchedule.Apply(adam, 3e-4 * (s + 1) / (Warmup + Measured));
            net.train();
            var loss = g.Loss(net, x, rng);                                                    // []
            clock.Lap("noise + forward + loss");
            adam.zero_grad();
            loss.backward();
            clock.Lap("backward");
            adam.Step();
            clock.Lap("optimizer");
            ExponentialMovingAverage.Update(g.Ema, net, ExponentialMovingAverage.DecayAt(s, 0.999));
            clock.Lap("EMA");
            _ = loss.item<float>();
            clock.Lap("read-back");
        }

        return clock.Finish();
    }

    /// <summary>
    /// The dense batch <paramref name="index"/> of <paramref name="batch"/> patients (a fixed pseudo-random draw, as an
    /// epoch's shuffle), built by the library's <see cref="DenseBatch"/> and timed as <paramref name="stage"/>.
    /// </summary>
    private static Tensor TimedBatch(Clock clock, string stage, Data.EhrDataset data, int index, int batch)
    {
        var random = new Random(index);
        int[] patients = [.. Enumerable.Range(0, batch).Select(_ => random.Next(data.PatientCount))];
        var x = DenseBatch.Build(data, patients, CPU);                                          // [B, D]
        clock.Lap(stage);
        return x;
    }

    private static void Print(string name, Dictionary<string, List<double>> stages)
    {
        double total = 0;
        foreach (var (stage, times) in stages)
        {
            double median = Median(times);
            total += median;
            Console.WriteLine($"{name,-10} {stage,-24} {median,9:F2} ms");
        }

        Console.WriteLine($"{name,-10} {"sum of medians",-24} {total,9:F2} ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Accumulates the time of each named stage within a step (stages repeated in a step add up).</summary>
    private sealed class Clock
    {
        private readonly Stopwatch _watch = new();
        private readonly Dictionary<string, double> _current = [];
        private bool _record;

        private Dictionary<string, List<double>> Stages { get; } = [];

        public Dictionary<string, List<double>> Finish()
        {
            Flush();
            _record = false;
            return Stages;
        }

        public void Begin(bool record)
        {
            Flush();
            _record = record;
            _watch.Restart();
        }

        public void Lap(string stage)
        {
            _current[stage] = _current.GetValueOrDefault(stage) + _watch.Elapsed.TotalMilliseconds;
            _watch.Restart();
        }

        private void Flush()
        {
            if (_record)
            {
                foreach (var (stage, ms) in _current)
                {
                    (Stages.TryGetValue(stage, out var list) ? list : Stages[stage] = []).Add(ms);
                }
            }

            _current.Clear();
        }
    }
}

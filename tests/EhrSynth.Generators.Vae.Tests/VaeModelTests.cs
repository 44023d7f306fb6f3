using EhrSynth.Generators.Data;
using EhrSynth.Generators.Evaluation;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Vae.Modules;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Vae.Tests;

public class VaeModelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(881)]
    [InlineData(1070)]
    [InlineData(1071)]
    [InlineData(1782)]
    [InlineData(4096)]
    public void ConvStack_ReturnsExactlyDCodes(int codes)
    {
        var g = ConvGeometry.For(codes, kernel: 5, stride: 4);
        Assert.Equal(codes, g.DecodedLength);
        using var scope = NewDisposeScope();
        using var encoder = new ConvEncoderNet(g, channels: 4, latent: 3);
        using var decoder = new ConvDecoderNet(g, channels: 4, latent: 3);
        var x = zeros(2, codes);                                  // [2, D]
        var (mu, logVar) = encoder.call(x);
        Assert.Equal([2L, 3], mu.shape);
        Assert.Equal([2L, 3], logVar.shape);
        Assert.Equal([2L, codes], decoder.call(mu).shape);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(7, 3)]
    [InlineData(5, 1)]
    [InlineData(4, 4)]
    public void ConvStack_OtherKernelsAndStrides_AlsoInvertExactly(int kernel, int stride)
    {
        foreach (int codes in new[] { 9, 10, 881, 1071 })
        {
            Assert.Equal(codes, ConvGeometry.For(codes, kernel, stride).DecodedLength);
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(1071)]
    public void ConvDecoder_EveryOutputDependsOnTheLatentCode(int codes)
    {
        // A transposed convolution with output padding leaves trailing positions that only see the bias; none may.
        var g = ConvGeometry.For(codes, kernel: 5, stride: 4);
        using var scope = NewDisposeScope();
        using var decoder = new ConvDecoderNet(g, channels: 4, latent: 3);
        var z = randn(64, 3, requires_grad: true);                 // [64, 3]
        var outputs = decoder.call(z);                              // [64, D]
        outputs.sum().backward();
        var perPosition = new float[codes];
        for (int j = 0; j < codes; j++)
        {
            var column = outputs[.., j];                            // [64]
            perPosition[j] = column.std().item<float>();
        }

        Assert.All(perPosition, s => Assert.True(s > 0, "an output position ignores the latent code"));
    }

    [Fact]
    public void ConvStack_KernelBelowStride_IsRejected() =>
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new VaeGenerator(new VaeOptions { KernelSize = 3, Stride = 4 }));

    [Theory]
    [InlineData(VaeArchitecture.Mlp)]
    [InlineData(VaeArchitecture.Convolutional)]
    public async Task UntrainedVae_AlreadyHasTheMarginals_SoPrevalenceProvesNoLearning(VaeArchitecture architecture)
    {
        // With DecoderBiasAtLogOdds the decoder's per-code bias starts at the training log-odds: prevalence matches before
        // any training. Whether a model learned is shown by co-occurrence (the contract test
        // Learns_CoOccurrenceBeyondTheFloor_AndOnlyByTraining).
        var data = Fixtures.Structured(patients: 800, codes: 20, seed: 3);
        using var vae = new VaeGenerator(new VaeOptions
        {
            DecoderBiasAtLogOdds = true,
            Architecture = architecture,
            Seed = 1,
            Epochs = 1,
            BatchSize = 50,
            HiddenChannels = 16,
            MlpHidden = 64,
            LatentDim = 8,
            LearningRate = 1e-8,
            Threads = 1,
        });
        await vae.FitAsync(data);
        var synthetic = vae.Generate(4000, seed: 2);
        double r = NaiveStatistics.Pearson(data.CodePrevalence(), synthetic.CodePrevalence());
        Assert.True(r > 0.95, $"prevalence Pearson {r:F3}");
        Assert.InRange(NaiveStatistics.CovarianceError(synthetic, data), 0.9, 1.2);
    }

    [Fact]
    public async Task ThePapersVae_StartsItsBiasLikeTheReference_AndOnlyThePresetsAtTheLogOdds()
    {
        // The reference starts the output bias by PyTorch's default (near 0: probability ≈ 0.5 for every code); the
        // log-odds start is an opt-in departure the quick and long presets take. Untrained (learning rate 1e-8), the
        // mean prevalence of the samples shows which start a model had: the data's 0.2 or about 0.5.
        var data = Fixtures.Random(patients: 400, codes: 16, p: 0.2, seed: 3);
        async Task<double> Untrained(bool logOdds)
        {
            using var vae = new VaeGenerator(new VaeOptions
            {
                Architecture = VaeArchitecture.Mlp, Seed = 1, Epochs = 1, BatchSize = 50, MlpHidden = 16, LatentDim = 4,
                LearningRate = 1e-8, Threads = 1, DecoderBiasAtLogOdds = logOdds,
            });
            await vae.FitAsync(data);
            return vae.Generate(2000, seed: 2).CodePrevalence().Average();
        }

        Assert.False(new VaeOptions().DecoderBiasAtLogOdds);
        Assert.False(VaeOptions.Paper().DecoderBiasAtLogOdds);
        Assert.True(VaeOptions.Quick().DecoderBiasAtLogOdds);
        Assert.True(VaeOptions.Long().DecoderBiasAtLogOdds);
        Assert.InRange(await Untrained(logOdds: true), 0.15, 0.25);
        Assert.InRange(await Untrained(logOdds: false), 0.35, 0.65);
        Assert.Contains("decoder bias at the training log-odds", VaeGenerator.Family.Describe(VaeOptions.Quick()), StringComparison.Ordinal);
        Assert.DoesNotContain("log-odds", VaeGenerator.Family.Describe(VaeOptions.Paper()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Threshold_EmitsOnlyCodesAboveIt_BernoulliKeepsRareOnes()
    {
        var data = Fixtures.Structured(patients: 300, codes: 20, seed: 3);
        var options = new VaeOptions { Architecture = VaeArchitecture.Mlp, Seed = 1, Epochs = 20, BatchSize = 50, MlpHidden = 32, LatentDim = 4, Threads = 1 };
        using var bernoulli = new VaeGenerator(options);
        options.Binarization = BinarizationMode.Threshold;
        using var threshold = new VaeGenerator(options);
        await bernoulli.FitAsync(data);
        await threshold.FitAsync(data);
        var b = bernoulli.Generate(2000, seed: 1);
        var t = threshold.Generate(2000, seed: 1);
        Assert.True(t.MeanCodesPerPatient < b.MeanCodesPerPatient, $"threshold {t.MeanCodesPerPatient:F2} vs Bernoulli {b.MeanCodesPerPatient:F2}");
        Assert.True(t.CodePrevalence().Count(p => p > 0) < b.CodePrevalence().Count(p => p > 0));
    }

    [Fact]
    public async Task Divergence_NamesEpochAndStep_AndKeepsTheLastGoodCheckpoint()
    {
        var data = Fixtures.Structured(patients: 64, codes: 20, seed: 7);
        using var dir = new TempDirectory();
        var ok = new VaeOptions { Seed = 1, Epochs = 2, BatchSize = 16, HiddenChannels = 8, LatentDim = 8, Threads = 1, CheckpointDirectory = dir.File("ckpt") };
        using (var first = new VaeGenerator(ok))
        {
            await first.FitAsync(data);
        }

        // Resume the same run with an absurd learning rate: it diverges in epoch 3.
        ok.Epochs = 6;
        ok.LearningRate = 10;
        using var second = new VaeGenerator(ok);
        var e = await Assert.ThrowsAsync<TrainingDivergedException>(() => second.FitAsync(data));
        Assert.Equal(3, e.Epoch);
        Assert.Equal(Generation.TrainingPhaseName.Train, e.Phase);
        Assert.Contains("epoch 3, step", e.Message, StringComparison.Ordinal);
        Assert.Equal(dir.File("ckpt"), e.LastGoodCheckpoint);
        Assert.False(second.IsFitted);
        using var lastGood = VaeGenerator.Load(e.LastGoodCheckpoint!);
        Assert.Equal(50, lastGood.Generate(50).PatientCount);
    }

    private static VaeOptions SelectionOptions(int epochs, ModelSelection selection, IUtilityMetric? metric = null, int? patience = null) => new()
    {
        Architecture = VaeArchitecture.Mlp,
        Seed = 1,
        Epochs = epochs,
        BatchSize = 20,
        MlpHidden = 32,
        LatentDim = 4,
        LearningRate = 0.01,
        Threads = 1,
        ValidationFraction = 0.25,
        Selection = selection,
        SelectionMetric = metric,
        EarlyStoppingPatience = patience,
    };

    [Fact]
    public async Task EarlyStopping_StopsAfterPatience_AndRestoresTheBestEpoch()
    {
        // Scores worsen after epoch 3: with patience 3 the fit stops after epoch 6 and ends with epoch 3's weights.
        var data = Fixtures.Structured(patients: 200, codes: 20, seed: 5);
        var metric = new ScriptedMetric(5, 4, 3, 3.5, 4, 4.5, 5, 6, 7, 8);
        var scores = new List<double>();
        using var stopped = new VaeGenerator(SelectionOptions(10, ModelSelection.Metric, metric, patience: 3));
        await stopped.FitAsync(data, new SyncProgress<TrainingProgress>(p =>
        {
            if (p.IsEpochEnd)
            {
                scores.Add(p.ValidationScore!.Value);
            }
        }));
        Assert.Equal([5, 4, 3, 3.5, 4, 4.5], scores);
        Assert.Equal(6, metric.Calls);

        using var threeEpochs = new VaeGenerator(SelectionOptions(3, ModelSelection.Metric, new ScriptedMetric(3, 2, 1)));
        await threeEpochs.FitAsync(data);
        Assert.Equal(Rows(threeEpochs.Generate(80, seed: 2)), Rows(stopped.Generate(80, seed: 2)));
    }

    [Fact]
    public async Task ValidationLossSelection_ScoresEveryEpoch_AndKeepsTheLowest()
    {
        var data = Fixtures.Structured(patients: 200, codes: 20, seed: 5);
        var scores = new List<double>();
        using var vae = new VaeGenerator(SelectionOptions(6, ModelSelection.ValidationLoss));
        await vae.FitAsync(data, new SyncProgress<TrainingProgress>(p =>
        {
            if (p.IsEpochEnd)
            {
                scores.Add(p.ValidationScore!.Value);
            }
        }));
        Assert.Equal(6, scores.Count);
        Assert.All(scores, s => Assert.True(double.IsFinite(s) && s > 0));

        // The fit ends with the best epoch's weights: those of a run that stops right after it.
        int best = scores.IndexOf(scores.Min()) + 1;
        using var upToBest = new VaeGenerator(SelectionOptions(best, ModelSelection.ValidationLoss));
        await upToBest.FitAsync(data);
        Assert.Equal(Rows(upToBest.Generate(80, seed: 2)), Rows(vae.Generate(80, seed: 2)));
    }

    private static string[] Rows(EhrDataset d) => [.. d.Records.Select(r => string.Join(",", r.Codes))];

    [Fact]
    public void Options_ListEveryProblem()
    {
        var e = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new VaeGenerator(new VaeOptions
        {
            Epochs = 0,
            BatchSize = -1,
            Selection = ModelSelection.ValidationLoss,
            EarlyStoppingPatience = 2,
        }));
        Assert.Contains("Epochs", e.Message, StringComparison.Ordinal);
        Assert.Contains("BatchSize", e.Message, StringComparison.Ordinal);
        Assert.Contains("ValidationFraction", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_OptionsDescribingABiggerModelThanTheWeights_AreRefusedBeforeBuilding()
    {
        using var dir = new TempDirectory();
        using var g = new VaeGenerator(new VaeOptions { Seed = 1, Architecture = VaeArchitecture.Mlp, Epochs = 1, BatchSize = 16 });
        await g.FitAsync(Fixtures.Structured(patients: 40, codes: 12, seed: 3));
        g.Save(dir.File("m"));
        string manifest = Path.Combine(dir.File("m"), "generator.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"mlpHidden\": 256", "\"mlpHidden\": 65536", StringComparison.Ordinal));
        long before = TorchSharp.torch.Tensor.TotalCount;
        var e = Assert.Throws<EhrSynth.Generators.IO.EhrDataFormatException>(() => VaeGenerator.Load(dir.File("m")));
        Assert.Contains("the saved options describe a VAE of", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, TorchSharp.torch.Tensor.TotalCount);     // nothing was built
    }
}

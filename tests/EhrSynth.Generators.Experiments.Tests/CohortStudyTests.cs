using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.Testing;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Generators.Experiments.Tests;

/// <summary>The cohort study end to end on tiny data: each cohort judged against its own holdout patients, a cohort a family cannot draw shown as such.</summary>
public class CohortStudyTests
{
    private static readonly EhrDataset Data = Fixtures.Structured(patients: 400, codes: 12, seed: 3);

    [Fact]
    public async Task EachCohort_IsJudgedAgainstItsHoldoutPatients_BesideItsFloor_AndAnUnreachableOneIsNotComputed()
    {
        using var dir = new TempDirectory();
        var options = new CohortStudyOptions
        {
            Experiment = new ExperimentOptions
            {
                Families = [VaeGenerator.Family],
                Data = Data,
                DataName = "structured fixture",
                Seeds = [1, 2],
                Epochs = 1,
                OutputFolder = dir.File("study"),
                Device = ComputeDevice.Cpu,
            },
            Cohorts = [CohortCondition.Having("C000").Excluding("C001"), CohortCondition.Having("C000", "C004", "C008")],
            CohortSize = 40,
            Sampling = new CohortSamplingOptions { MinimumAcceptance = 0.5 },
        };
        var result = await CohortStudy.RunAsync(options);

        var first = result.Cohorts[0];
        Assert.Equal("with C000; without C001", first.Condition);
        Assert.Equal(["Independent marginals", "Pairwise tree (Chow–Liu)", "VAE", "Real train"], first.Report.Rows.Select(r => r.Name));

        // The sizes are those of the split's cohorts, and the floor is sampled from the training cohort.
        for (int i = 0; i < 2; i++)
        {
            var (train, holdout) = Data.Split(0.8, i + 1);
            var codes = CohortCondition.Having("C000").Excluding("C001").Resolve(Data.Vocabulary);
            Assert.Equal(codes.Select(train).PatientCount, first.TrainPatients[i]);
            Assert.Equal(codes.Select(holdout).PatientCount, first.HoldoutPatients[i]);
            var floor = first.Report.Runs[i].Report.Rows[0];
            Assert.True(floor.Result("Dimension-wise distribution")!.IsComputed);
        }

        // Three blocks at once: far below the 50 % this study accepts, so the VAE's row is not computed, with the reason.
        var second = result.Cohorts[1];
        var vae = second.Report.Runs[0].Report.Rows.First(r => r.Name == "VAE");
        Assert.All(vae.Results, m => Assert.False(m.IsComputed));
        Assert.Contains("could not draw the cohort", vae.Results[0].NotComputedReason, StringComparison.Ordinal);
        Assert.Contains(result.Generations, g => g.Cohort == "with C000, C004, C008" && g.Failure is not null);
        Assert.Contains("n/c", File.ReadAllText(result.TablePath), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(result.TablePath)!, CohortStudy.ResultsFile)));
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using EhrSynth.Generators.Cli;
using EhrSynth.Generators.Families;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Samples.MixtureFamily.Tests;

public class CompareTests
{
    [Fact]
    public async Task TheFamily_ShowsUpInCompare_AndTrainGenerate_BesideTheBuiltInOnes()
    {
        using var dir = new TempDirectory();
        var data = new StringBuilder("patient_id,code\n");
        var fixture = Fixtures.Structured(patients: 300, codes: 12, seed: 2);
        foreach (var r in fixture.Records)
        {
            foreach (var c in r.Codes)
            {
                data.Append(CultureInfo.InvariantCulture, $"{r.PatientId},{c}\n");
            }
        }

        string csv = dir.Write("data.csv", data.ToString());
        var catalog = new GeneratorCatalog([.. BuiltInFamilies.Catalog, BernoulliMixtureGenerator.Family]);
        async Task<(int Code, string Output, string Error)> Run(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = await EhrSynthCli.RunAsync(args, catalog, output, error, false, null, CancellationToken.None);
            return (code, output.ToString(), error.ToString());
        }

        var (helpCode, help, _) = await Run("train", "--help");
        Assert.Equal(0, helpCode);
        Assert.Contains("bernoulli-mixture", help, StringComparison.Ordinal);

        var (code, output, error) = await Run("compare", "--families", "vae,bernoulli-mixture", "--epochs", "2", "--data", csv, "--output", dir.File("report"), "--json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Independent marginals", "Pairwise tree (Chow–Liu)", "VAE", "Bernoulli mixture", "Real train"], rows);
        Assert.True(File.Exists(Path.Combine(dir.File("report"), "synthetic-bernoulli-mixture.csv")));

        (code, _, error) = await Run("train", "--family", "bernoulli-mixture", "--epochs", "2", "--data", csv, "--output", dir.File("model"));
        Assert.True(code == 0, error);
        (code, _, error) = await Run("generate", "--model", dir.File("model"), "--count", "50", "--output", dir.File("s.csv"));
        Assert.True(code == 0, error);

        // The capabilities the family declares reach the command line: its own train option and its own study.
        var (helpCompare, compareHelp, _) = await Run("compare", "--help");
        Assert.Equal(0, helpCompare);
        Assert.Contains("mixture-components", compareHelp, StringComparison.Ordinal);
        Assert.Contains("--components", help, StringComparison.Ordinal);
        (code, output, error) = await Run("train", "--family", "bernoulli-mixture", "--components", "3", "--epochs", "1", "--data", csv, "--output", dir.File("k3"), "--json");
        Assert.True(code == 0, error);
        Assert.Contains("3 components", JsonDocument.Parse(output).RootElement.GetProperty("settings").GetString(), StringComparison.Ordinal);
        (code, _, error) = await Run("train", "--family", "vae", "--components", "3", "--epochs", "1", "--data", csv, "--output", dir.File("vae"));
        Assert.Equal(1, code);                                                                        // usage error
        Assert.Contains("--components is not an option of vae; it is bernoulli-mixture's.", error, StringComparison.Ordinal);
        (code, output, error) = await Run("compare", "--study", "mixture-components", "--epochs", "1", "--data", csv, "--output", dir.File("study"), "--json");
        Assert.True(code == 0, error);
        rows = JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Independent marginals", "Pairwise tree (Chow–Liu)", "Bernoulli mixture (K = 2)", "Bernoulli mixture (K = 8)", "Bernoulli mixture (K = 32)", "Real train"], rows);

        // Without the registration the saved model is not loadable, and the message says which families are known.
        var builtIn = new StringWriter();
        int refused = await EhrSynthCli.RunAsync(["generate", "--model", dir.File("model"), "--count", "5", "--output", dir.File("t.csv")], BuiltInFamilies.Catalog, new StringWriter(), builtIn, false, null, CancellationToken.None);
        Assert.Equal(2, refused);
        Assert.Contains("cannot load a 'Bernoulli mixture' generator", builtIn.ToString(), StringComparison.Ordinal);
    }
}

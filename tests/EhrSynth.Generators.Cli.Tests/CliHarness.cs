using System.Globalization;
using System.Text;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>Runs the command line in-process and builds the small inputs its tests need.</summary>
internal static class CliHarness
{
    public static async Task<(int Code, string Output, string Error)> Run(params string[] args) => await Run(CancellationToken.None, args);

    public static async Task<(int Code, string Output, string Error)> Run(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await EhrSynthCli.RunAsync(args, BuiltInFamilies.Catalog, output, error, false, null, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with an error writer that calls <paramref name="onLine"/> for every line written to it.</summary>
    public static async Task<(int Code, string Output, string Error)> RunWatching(Action<string> onLine, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new LineWatchingWriter(onLine);
        int code = await EhrSynthCli.RunAsync(args, BuiltInFamilies.Catalog, output, error, false, null, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A long CSV of <paramref name="patients"/> patients over a few co-occurring codes.</summary>
    public static string SmallData(TempDirectory dir, string name = "small.csv", int patients = 40)
    {
        var text = new StringBuilder("patient_id,code\n");
        var rng = new Random(3);
        string[] codes = ["401", "428", "250", "272", "414", "427", "584", "599"];
        for (int p = 0; p < patients; p++)
        {
            int first = rng.Next(codes.Length);
            text.Append(CultureInfo.InvariantCulture, $"p{p},{codes[first]}\n");
            int second = (first + 1 + rng.Next(2)) % codes.Length;
            text.Append(CultureInfo.InvariantCulture, $"p{p},{codes[second]}\n");
        }

        return dir.Write(name, text.ToString());
    }

    /// <summary>Trains a one-epoch VAE on <see cref="SmallData"/> into <c>model</c> and returns the folder.</summary>
    public static async Task<string> TrainedModel(TempDirectory dir, string family = "vae", string folder = "model")
    {
        string data = SmallData(dir);
        string model = dir.File(folder);
        var (code, _, error) = await Run("train", "--family", family, "--data", data, "--output", model, "--epochs", "1");
        Assert.True(code == 0, error);
        return model;
    }

    private sealed class LineWatchingWriter(Action<string> onLine) : StringWriter
    {
        private readonly StringBuilder _line = new();

        public override void Write(char value)
        {
            base.Write(value);
            if (value == '\n')
            {
                onLine(_line.ToString());
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }

        public override void Write(string? value)
        {
            foreach (char c in value ?? "")
            {
                Write(c);
            }
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }
    }
}

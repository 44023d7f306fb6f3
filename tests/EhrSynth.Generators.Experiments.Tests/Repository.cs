namespace EhrSynth.Generators.Experiments.Tests;

/// <summary>The repository the tests run from: the folder above the test binaries that holds EhrSynth.Generators.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EhrSynth.Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EhrSynth.Generators.sln above {AppContext.BaseDirectory}.");
    }
}

using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary><c>ehrsynth tables</c>: a document's marked tables checked against, and rendered from, their results files.</summary>
public class TablesCliTests
{
    private static string CommittedSweep()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "docs", "results", "privacy", "mst-sweep-3-seeds", "results.json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("The committed MST sweep was not found above the test binaries.");
    }

    [Fact]
    public async Task AStaleTable_Exits2NamingItsLine_AndWriteRendersItFromItsData()
    {
        using var dir = new TempDirectory();
        File.Copy(CommittedSweep(), dir.File("results.json"));
        string doc = dir.Write("paper.md", "# Paper\n\n<!-- table: results.json privacy-sweep -->\n| stale |\n<!-- /table -->\n\nThe end.\n");

        var (code, _, error) = await CliHarness.Run("tables", doc);
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains($"{doc}:4: the table from results.json (privacy-sweep) differs from its data: the document has \"| stale |\"", error, StringComparison.Ordinal);

        (code, var output, error) = await CliHarness.Run("tables", doc, "--write");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("1 table(s) rendered again", output, StringComparison.Ordinal);
        string text = File.ReadAllText(doc);
        Assert.Contains("| MST (DP ε = 3) | 3 | 0.784 ± 0.005 | 0.928 ± 0.003 |", text, StringComparison.Ordinal);
        Assert.EndsWith("<!-- /table -->\n\nThe end.\n", text, StringComparison.Ordinal);

        (code, output, _) = await CliHarness.Run("tables", doc);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("every table equals its data", output, StringComparison.Ordinal);

        File.WriteAllText(doc, text.Replace("0.784 ± 0.005", "0.785 ± 0.005", StringComparison.Ordinal));
        (code, _, error) = await CliHarness.Run("tables", doc);
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("0.785 ± 0.005", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingDocumentOrResultsFile_Exits2NamingIt()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await CliHarness.Run("tables", dir.File("none.md"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("none.md: no such document", error, StringComparison.Ordinal);

        string doc = dir.Write("paper.md", "<!-- table: gone.json runs -->\n<!-- /table -->\n");
        (code, _, error) = await CliHarness.Run("tables", doc);
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("paper.md:1: the table from gone.json", error, StringComparison.Ordinal);
    }
}

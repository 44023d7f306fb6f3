using System.Reflection;
using EhrSynth.Generators.Experiments;
using EhrSynth.Generators.Torch;
using EhrSynth.Generators.Vae;

namespace EhrSynth.Generators.Cli.Tests;

/// <summary>The dependency rules of docs/architecture.md, checked on the built assemblies.</summary>
public class AssemblyDependencyTests
{
    private static List<string> References(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    [Fact]
    public void Torch_DoesNotDependOnMetrics()
    {
        var names = References(typeof(TorchGeneratorBase<>).Assembly);
        Assert.DoesNotContain("EhrSynth.Generators.Metrics", names);
        Assert.DoesNotContain(names, n => n.StartsWith("MathNet", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("TorchSharp.PyBridge", StringComparison.Ordinal));
    }

    [Fact]
    public void Experiments_KnowsNoFamilyAndNoTorchSharp()
    {
        var names = References(typeof(ComparisonExperiment).Assembly);
        Assert.DoesNotContain(names, n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n is "EhrSynth.Generators.Torch" or "EhrSynth.Generators.Vae" or "EhrSynth.Generators.Gan" or "EhrSynth.Generators.Diffusion" or "EhrSynth.Generators.Llm");
    }

    [Fact]
    public void Families_ReferenceTheManagedTorchSharpOnly()
    {
        // The built assembly names TorchSharp; a backend (TorchSharp-cpu, libtorch-…) adds no managed assembly, so only
        // the project files can show one: every library project references TorchSharp at most, never a backend — the
        // application picks it (docs/architecture.md). Planting <PackageReference Include="TorchSharp-cpu" /> in
        // src/EhrSynth.Generators.Vae fails this test.
        Assert.Contains("TorchSharp", References(typeof(VaeGenerator).Assembly));
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "EhrSynth.Generators.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        var projects = Directory.GetFiles(Path.Combine(root!, "src"), "*.csproj", SearchOption.AllDirectories);
        Assert.True(projects.Length >= 10, $"{projects.Length} library projects found");
        var backends = projects.SelectMany(p => System.Xml.Linq.XDocument.Load(p).Descendants("PackageReference")
                .Select(r => (Project: Path.GetFileName(p), Package: (string?)r.Attribute("Include") ?? "")))
            .Where(r => r.Package.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase) || r.Package.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(backends.Count == 0, string.Join(", ", backends.Select(b => $"{b.Project} references {b.Package}")));
    }
}

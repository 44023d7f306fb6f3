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
        var names = References(typeof(VaeGenerator).Assembly);
        Assert.Contains("TorchSharp", names);
        Assert.DoesNotContain(names, n => n.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) || n.StartsWith("TorchSharp-", StringComparison.Ordinal));
    }
}

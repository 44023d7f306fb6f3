using System.Globalization;
using EhrSynth.Generators.Cli;
using EhrSynth.Generators.Families;
using EhrSynth.Samples.MixtureFamily;

// ehrsynth with one more family: the built-in catalog plus the Bernoulli mixture of this sample.
//   dotnet run --project samples/EhrSynth.Samples.MixtureFamily -- compare --families vae,bernoulli-mixture
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
var families = new GeneratorCatalog([.. BuiltInFamilies.Catalog, BernoulliMixtureGenerator.Family]);
return await EhrSynthCli.RunAsync(args, families, cts.Token);

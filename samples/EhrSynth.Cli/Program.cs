using System.Globalization;
using EhrSynth.Generators.Cli;

// The ehrsynth tool: the command line of EhrSynth.Generators.Cli over the built-in families.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
return await EhrSynthCli.RunAsync(args, cts.Token);

using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using EhrSynth.Generators.Llm;

// Fine-tunes any local Hugging Face GPT-2 checkpoint folder (config.json + model.safetensors, vocab.json + merges.txt),
// e.g. distilgpt2 or gpt2-medium saved with transformers' save_pretrained(..., safe_serialization=True):
//   dotnet run -c Release --project samples/EhrSynth.Llm.FineTune -- <checkpoint folder> [options]
// Options: --data uci|mimic-demo|<long CSV>  --epochs N  --batch N  --lr X  --count N  --out <folder>  --device cpu|cuda|auto
// The fine-tuned model is saved under <out>/model (its hf/ subfolder loads in Python transformers) and <out>/synthetic.csv.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: EhrSynth.Llm.FineTune <hf-checkpoint-folder> [--data uci|mimic-demo|<long.csv>] [--epochs 3] [--batch 8] [--lr 5e-5] [--count 1000] [--out finetuned] [--device auto]");
    return args.Length == 0 ? 1 : 0;
}

string checkpoint = args[0];
var flags = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 1; i < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"error: expected '--name value' at '{args[i]}'.");
        return 1;
    }

    flags[args[i][2..]] = args[i + 1];
}

if (!File.Exists(Path.Combine(checkpoint, "config.json")))
{
    Console.Error.WriteLine($"error: '{checkpoint}' is not a Hugging Face checkpoint folder (no config.json).");
    return 2;
}

string data = flags.GetValueOrDefault("data", "uci");
EhrDataset dataset = data switch
{
    "uci" => EhrDatasets.UciDiabetes130(),
    "mimic-demo" => EhrDatasets.MimicIIIDemo(),
    _ => LongCsv.Read(data).Dataset,
};
var (train, _) = dataset.Split(0.8, seed: 1);
var options = new LlmOptions
{
    PretrainedPath = checkpoint,
    Tokenizer = LlmTokenizer.Gpt2Bpe,
    Epochs = int.Parse(flags.GetValueOrDefault("epochs", "3"), CultureInfo.InvariantCulture),
    BatchSize = int.Parse(flags.GetValueOrDefault("batch", "8"), CultureInfo.InvariantCulture),
    LearningRate = double.Parse(flags.GetValueOrDefault("lr", "5e-5"), CultureInfo.InvariantCulture),
    Device = ComputeDevice.Parse(flags.GetValueOrDefault("device", "auto")),
    Seed = 1,
};
string output = flags.GetValueOrDefault("out", "finetuned");
int count = int.Parse(flags.GetValueOrDefault("count", "1000"), CultureInfo.InvariantCulture);

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

using var llm = new LlmGenerator(options);
Console.WriteLine($"Fine-tuning {checkpoint} on {train.PatientCount:N0} patients × {train.CodeCount} codes ({data}), {options.Epochs} epoch(s), on {options.Device}.");
var progress = new Progress<TrainingProgress>(p =>
{
    if (p.IsEpochEnd)
    {
        Console.WriteLine($"  epoch {p.Epoch}/{p.TotalEpochs}  loss {p.Losses.GetValueOrDefault("loss"):F4}  {p.Throughput:N0} {p.Unit.Name()}/s  {p.Elapsed.TotalSeconds:F0} s");
    }
});
await llm.FitAsync(train, progress, cts.Token);
var synthetic = llm.Generate(count, seed: 1, cancellationToken: cts.Token);
Directory.CreateDirectory(output);
llm.Save(Path.Combine(output, "model"));
LongCsv.Write(Path.Combine(output, "synthetic.csv"), synthetic);
Console.WriteLine($"Saved the model to {Path.Combine(output, "model")} and {synthetic.PatientCount:N0} records to {Path.Combine(output, "synthetic.csv")}.");
return 0;

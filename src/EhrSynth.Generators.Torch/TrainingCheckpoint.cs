using System.Text.Json;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;
using EhrSynth.Generators.IO;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Torch;

/// <summary>
/// The checkpoint folder of a resumable fit: a loadable saved generator plus the training state, the optimizers'
/// state and the best weights so far, written atomically (see <see cref="AtomicFile.WriteDirectory"/>), and read back
/// for an exact resume after checking that it belongs to this family, vocabulary and seed.
/// </summary>
internal static class TrainingCheckpoint
{
    public const string StateKey = "training";

    /// <summary>Writes the checkpoint: <paramref name="save"/> fills the folder and the manifest state, then the state and best weights are added.</summary>
    public static void Write(string folder, TrainingState state, Dictionary<string, Tensor>? best, Action<string, Dictionary<string, JsonElement>> save, Func<Dictionary<string, JsonElement>, GeneratorManifest> manifest)
    {
        AtomicFile.WriteDirectory(folder, tmp =>
        {
            var extra = new Dictionary<string, JsonElement> { [StateKey] = JsonSerializer.SerializeToElement(state, GeneratorJson.Options) };
            save(tmp, extra);
            if (best is not null)
            {
                CheckpointStore.SaveSnapshot(Path.Combine(tmp, CheckpointStore.BestWeightsFile), best);
            }

            manifest(extra).Write(tmp);
        });
    }

    /// <summary>
    /// The checkpoint to resume from, or <see langword="null"/> when there is none. A folder left half-swapped by a killed
    /// process is recovered first. When the options give no seed, the checkpoint's seed is adopted.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds another family, vocabulary or seed, or no training state.</exception>
    public static (GeneratorManifest Manifest, TrainingState State)? Find(string? folder, string family, CodeVocabulary vocabulary, int? optionsSeed, ref int seed)
    {
        if (folder is null)
        {
            return null;
        }

        AtomicFile.RecoverDirectory(folder);                     // a run killed between the two renames of a checkpoint swap
        if (!File.Exists(Path.Combine(folder, GeneratorManifest.FileName)))
        {
            return null;
        }

        var manifest = GeneratorManifest.Read(folder);
        if (manifest.Family != family)
        {
            throw new InvalidDataException($"{folder} holds a {TextSafety.Printable(manifest.Family, 40)} checkpoint; a {family} fit cannot resume from it.");
        }

        if (!manifest.ToVocabulary().Equals(vocabulary))
        {
            throw new InvalidDataException($"{folder}: the checkpoint was trained on another vocabulary ({manifest.Codes.Count} codes); use another checkpoint folder.");
        }

        if (!manifest.State.TryGetValue(StateKey, out var saved))
        {
            throw new InvalidDataException($"{folder} holds a saved generator without training state; it cannot be resumed.");
        }

        TrainingState? state;
        try
        {
            state = saved.Deserialize<TrainingState>(GeneratorJson.Options);
        }
        catch (JsonException e)
        {
            throw new EhrDataFormatException($"the training state is malformed ({e.Message})", Path.Combine(folder, GeneratorManifest.FileName), innerException: e);
        }

        if (manifest.TrainingSeed is { } savedSeed && savedSeed != seed)
        {
            if (optionsSeed is not null)
            {
                throw new InvalidDataException($"{folder}: the checkpoint was trained with seed {savedSeed}, but Seed is {optionsSeed}; resume with the same seed.");
            }

            seed = savedSeed;
        }

        return (manifest, (state ?? new TrainingState()) with { Completed = false });
    }
}

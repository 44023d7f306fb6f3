using System.Globalization;
using EhrSynth.Generators.Data;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Llm.Tokenization;

namespace EhrSynth.Generators.Llm.Training;

/// <summary>
/// The token length of every training patient's sentence — prompt, codes, separators, end — and what to do when some
/// are longer than the model's positions: grow a from-scratch model, or drop, truncate or refuse for a fixed-size one
/// (<see cref="LlmLongRecords"/>). Lengths are exact: every training id has the same number of digits (<see cref="PatientIds"/>).
/// </summary>
internal sealed class LongSentences
{
    private readonly EhrDataset _data;
    private readonly int _prompt;
    private readonly int[] _codeTokens;
    private readonly int[] _lengths;

    public LongSentences(IPatientTokenizer tokenizer, PatientSentenceCodec codec, EhrDataset data, PatientIds ids)
    {
        _data = data;
        _codeTokens = [.. data.Vocabulary.Select(c => tokenizer.Code(c).Length)];
        _prompt = tokenizer.Prompt(codec.Prompt(ids.ForTraining(0).ToString(CultureInfo.InvariantCulture))).Count();
        _lengths = [.. Enumerable.Range(0, data.PatientCount).Select(p => Length(data.GetCodes(p)))];
    }

    /// <summary>The tokens of a sentence with these codes.</summary>
    public int Length(ReadOnlySpan<int> codes)
    {
        int length = _prompt + 1 + Math.Max(0, codes.Length - 1);            // prompt, separators, end
        foreach (int c in codes)
        {
            length += _codeTokens[c];
        }

        return length;
    }

    /// <summary>
    /// The data to train on, the grown positions (when <paramref name="grow"/> and a sentence does not fit), and a note
    /// saying what was done (<see langword="null"/> when every sentence fits).
    /// </summary>
    /// <exception cref="ArgumentException">A sentence does not fit and <paramref name="policy"/> refuses.</exception>
    public (EhrDataset Data, int? Positions, string? Note) Fit(int positions, bool grow, LlmLongRecords policy, string preset, int seed, string name)
    {
        int who = _lengths.Length == 0 ? 0 : Array.IndexOf(_lengths, _lengths.Max());
        int longest = _lengths.Length == 0 ? 0 : _lengths[who];
        if (longest <= positions)
        {
            return (_data, null, null);
        }

        if (grow)
        {
            int grown = (int)Math.Min(131_072, (longest + (longest / 4) + 63) / 64 * 64);
            return (_data, grown, string.Create(CultureInfo.InvariantCulture,
                $"n_positions {grown}: the '{preset}' preset's {positions} grown to fit the longest training sentence ({longest} tokens, patient '{_data.GetPatientId(who)}') plus a quarter"));
        }

        int tooLong = _lengths.Count(l => l > positions);
        string counted = string.Create(CultureInfo.InvariantCulture,
            $"{tooLong:N0} of {_data.PatientCount:N0} training patients need more than the model's {positions} positions (the longest, patient '{_data.GetPatientId(who)}', needs {longest} tokens)");
        switch (policy)
        {
            case LlmLongRecords.Drop:
                return (_data.Subset([.. Enumerable.Range(0, _lengths.Length).Where(p => _lengths[p] <= positions)]), null, $"{counted}; they were left out of training (LongRecords = Drop)");
            case LlmLongRecords.Truncate:
                var rng = new Random(seed);
                var builder = new EhrDatasetBuilder(_data.Vocabulary);
                long dropped = 0;
                for (int p = 0; p < _lengths.Length; p++)
                {
                    var codes = _data.GetCodes(p).ToArray();
                    if (_lengths[p] > positions)
                    {
                        rng.Shuffle(codes);
                        int keep = codes.Length;
                        while (keep > 0 && Length(codes.AsSpan(0, keep)) > positions)
                        {
                            keep--;
                        }

                        dropped += codes.Length - keep;
                        codes = codes[..keep];
                    }

                    builder.AddPatient(_data.GetPatientId(p), codes);
                }

                return (builder.Build(), null, string.Create(CultureInfo.InvariantCulture,
                    $"{counted}; each kept a random subset of its codes that fits ({dropped:N0} codes left out; LongRecords = Truncate)"));
            default:
                throw new ArgumentException($"{name}: {counted}. Choose what to do with them — LongRecords = Drop or Truncate (ehrsynth: --long-records drop|truncate) — or use a model with more positions.");
        }
    }
}

using EhrSynth.Generators.Data;
using EhrSynth.Generators.Llm.Gpt2.Modules;
using EhrSynth.Generators.Llm.Sampling;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Llm.Tokenization;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Llm;

/// <summary>What training and sampling share once a model is built: the network, the tokenizer and codec, and the code tries.</summary>
/// <param name="Model">The GPT-2 network.</param>
/// <param name="Tokenizer">The patient tokenizer (code-level or GPT-2 BPE).</param>
/// <param name="Codec">Records ↔ sentences.</param>
/// <param name="Vocabulary">The codes, in column order.</param>
/// <param name="CodeTokens">Each code's tokens, by column.</param>
/// <param name="Trie">A trie over <paramref name="CodeTokens"/> for constrained decoding.</param>
/// <param name="Device">Where the model lives.</param>
internal sealed record LlmParts(Gpt2LmHeadNet Model, IPatientTokenizer Tokenizer, PatientSentenceCodec Codec, CodeVocabulary Vocabulary, int[][] CodeTokens, CodeTrie Trie, Device Device)
{
    /// <summary>
    /// The prompt of patient <paramref name="id"/>: the template up to its codes ("Patient ID {id} has Diagnostic
    /// Code(s)" by default), then the <paramref name="required"/> codes separated as in training, the last without a
    /// separator — the model's next token is a separator (more codes) or the end, so a record may hold the required
    /// codes alone.
    /// </summary>
    public int[] Prompt(long id, IReadOnlyList<int> required)
    {
        var tokens = new List<int>(Tokenizer.Prompt(Codec.Prompt(id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        for (int i = 0; i < required.Count; i++)
        {
            if (i > 0)
            {
                tokens.Add(Tokenizer.SeparatorToken);
            }

            tokens.AddRange(CodeTokens[required[i]]);
        }

        return [.. tokens];
    }
}

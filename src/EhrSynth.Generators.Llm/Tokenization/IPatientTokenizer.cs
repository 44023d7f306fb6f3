namespace EhrSynth.Generators.Llm.Tokenization;

/// <summary>
/// Turns patient sentences into token ids. Sentences are built structurally — prompt tokens, then each code's tokens
/// separated by the separator token, then end-of-sequence — so training sequences and the constrained decoder's trie
/// agree token for token.
/// </summary>
internal interface IPatientTokenizer
{
    /// <summary>A short name saved with the model: <c>gpt2-bpe</c> or <c>code</c>.</summary>
    string Kind { get; }

    /// <summary>Number of token ids.</summary>
    int VocabSize { get; }

    /// <summary>The end-of-sequence token.</summary>
    int EosToken { get; }

    /// <summary>The token used to pad batches (masked out of the loss).</summary>
    int PadToken { get; }

    /// <summary>The token between codes (<c>,</c>).</summary>
    int SeparatorToken { get; }

    /// <summary>Tokens of the sentence up to the codes, for a patient id.</summary>
    int[] Prompt(string promptText);

    /// <summary>Tokens of one code as it follows the prompt or a separator (for GPT-2 BPE: <c>" 401"</c>).</summary>
    int[] Code(string code);

    /// <summary>Text of tokens (special tokens dropped).</summary>
    string Decode(IEnumerable<int> tokens);
}

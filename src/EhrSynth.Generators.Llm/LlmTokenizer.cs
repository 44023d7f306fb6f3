namespace EhrSynth.Generators.Llm;

/// <summary>How patient sentences become tokens.</summary>
public enum LlmTokenizer
{
    /// <summary>GPT-2's byte-level BPE (the paper; required to use pretrained GPT-2 weights).</summary>
    Gpt2Bpe,

    /// <summary>One token per code plus structural tokens (beyond the paper; fast to train from scratch on a CPU).</summary>
    Code,
}

namespace EhrSynth.Generators.IO;

/// <summary>The column order of a vocabulary built while reading.</summary>
public enum CodeOrder
{
    /// <summary>Codes in the order they are first seen (medGAN's <c>process_mimic.py</c>).</summary>
    FirstSeen,

    /// <summary>Codes sorted ordinally (<c>001</c> … <c>999</c>, then <c>E…</c>, then <c>V…</c>).</summary>
    Sorted,
}

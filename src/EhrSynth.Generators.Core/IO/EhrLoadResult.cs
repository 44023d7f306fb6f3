using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>A loaded dataset and the report of how it was read.</summary>
/// <param name="Dataset">The patients.</param>
/// <param name="Report">Rows read, skipped and why, patients and codes.</param>
public sealed record EhrLoadResult(EhrDataset Dataset, LoadReport Report);

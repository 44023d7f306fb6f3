namespace EhrSynth.Generators.Datasets;

/// <summary>Describes an embedded dataset: what it is, its licence and how to cite it.</summary>
/// <param name="Name">The name <see cref="EhrDatasets.Load"/> accepts.</param>
/// <param name="Title">A human title.</param>
/// <param name="Description">What the rows and columns are.</param>
/// <param name="Licence">The licence of the data.</param>
/// <param name="Attribution">The notice to keep when the data, or a database derived from it, is shared.</param>
/// <param name="Citation">How to cite it.</param>
public sealed record EmbeddedDatasetInfo(string Name, string Title, string Description, string Licence, string Attribution, string Citation);

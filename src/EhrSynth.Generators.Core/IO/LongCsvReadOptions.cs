using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>Options of <see cref="LongCsv.Read(string, LongCsvReadOptions?, CancellationToken)"/>.</summary>
public sealed class LongCsvReadOptions
{
    /// <summary>
    /// The vocabulary to read into, for example the training data's when reading synthetic data. A code not in it
    /// is an error naming the line and code. The default value is <see langword="null"/>: build the vocabulary from
    /// the file, in <see cref="ColumnOrder"/>.
    /// </summary>
    public CodeVocabulary? Vocabulary { get; set; }

    /// <summary>Column order of a vocabulary built from the file. The default value is <see cref="CodeOrder.FirstSeen"/>.</summary>
    public CodeOrder ColumnOrder { get; set; } = CodeOrder.FirstSeen;

    /// <summary>
    /// Whether a line with an empty code (<c>patient_id,</c>), which <see cref="LongCsv.Write(string, EhrSynth.Generators.Data.EhrDataset, bool, bool)"/> writes for a patient
    /// with no codes, is accepted. The default value is <see cref="EmptyPatientPolicy.Throw"/>; use
    /// <see cref="EmptyPatientPolicy.Keep"/> to read synthetic data that may contain empty records.
    /// </summary>
    public EmptyPatientPolicy EmptyPatients { get; set; } = EmptyPatientPolicy.Throw;
}

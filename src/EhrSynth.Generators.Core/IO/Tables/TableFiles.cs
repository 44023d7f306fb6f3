namespace EhrSynth.Generators.IO.Tables;

/// <summary>Finding the table files of a source folder: <c>name.csv</c>, <c>name.csv.gz</c> or <c>name.parquet</c>, in any letter case.</summary>
internal static class TableFiles
{
    /// <summary>The extensions a table may have, in the order they are preferred.</summary>
    public static readonly string[] Extensions = [".csv", ".csv.gz", ".parquet"];

    /// <summary>Whether <paramref name="path"/> names a Parquet file.</summary>
    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file of table <paramref name="name"/> in <paramref name="folder"/>, or <see langword="null"/>.</summary>
    public static string? Find(string folder, string name)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var files = Directory.EnumerateFiles(folder).ToList();
        foreach (var ext in Extensions)
        {
            var match = files.Where(f => Path.GetFileName(f).Equals(name + ext, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>The table name of a file (<c>DIAGNOSES_ICD.csv.gz</c> → <c>diagnoses_icd</c>), lower case.</summary>
    public static string TableName(string path)
    {
        string name = Path.GetFileName(path);
        foreach (var ext in Extensions.OrderByDescending(e => e.Length))
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return name[..^ext.Length].ToLowerInvariant();
            }
        }

        return name.ToLowerInvariant();
    }
}

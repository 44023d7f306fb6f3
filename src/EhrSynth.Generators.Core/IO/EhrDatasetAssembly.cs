using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>Turns rows of first-seen column indices into a dataset with the requested column order.</summary>
internal static class EhrDatasetAssembly
{
    public static EhrDataset Build(IReadOnlyList<(string Id, int[] Codes)> rows, IReadOnlyList<string> firstSeenCodes, CodeOrder order)
    {
        var remap = new int[firstSeenCodes.Count];
        IReadOnlyList<string> codes = firstSeenCodes;
        if (order == CodeOrder.Sorted)
        {
            var sorted = firstSeenCodes.Order(StringComparer.Ordinal).ToArray();
            var position = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
            for (int i = 0; i < sorted.Length; i++)
            {
                position[sorted[i]] = i;
            }

            for (int i = 0; i < remap.Length; i++)
            {
                remap[i] = position[firstSeenCodes[i]];
            }

            codes = sorted;
        }
        else
        {
            for (int i = 0; i < remap.Length; i++)
            {
                remap[i] = i;
            }
        }

        var vocabulary = new CodeVocabulary(codes);
        var offsets = new int[rows.Count + 1];
        for (int p = 0; p < rows.Count; p++)
        {
            offsets[p + 1] = offsets[p] + rows[p].Codes.Length;
        }

        var stored = new int[offsets[^1]];
        var ids = new string[rows.Count];
        for (int p = 0; p < rows.Count; p++)
        {
            var span = stored.AsSpan(offsets[p], rows[p].Codes.Length);
            for (int k = 0; k < span.Length; k++)
            {
                span[k] = remap[rows[p].Codes[k]];
            }

            span.Sort();
            ids[p] = rows[p].Id;
        }

        return EhrDataset.CreateUnchecked(vocabulary, offsets, stored, ids);
    }
}

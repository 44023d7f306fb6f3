using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.IO;

/// <summary>
/// NumPy <c>.npy</c> dense matrices (C order; bool, uint8, float32 or float64) plus a codes file with one code per
/// line, for exchange with the Python tools of medGAN, CorGAN and EHRDiff.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The codes file that goes with an .npy file by default: <c>name.codes.txt</c> beside <c>name.npy</c>.</summary>
    public static string DefaultCodesPath(string npyPath) => Path.ChangeExtension(npyPath, ".codes.txt");

    /// <summary>Reads a matrix and its codes file.</summary>
    /// <exception cref="EhrDataFormatException">The file is malformed or holds a value that is not 0/1 (without a threshold).</exception>
    public static EhrLoadResult Read(string npyPath, string codesPath, NpyReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(npyPath);
        ArgumentException.ThrowIfNullOrEmpty(codesPath);
        var vocabulary = ReadCodes(codesPath, cancellationToken);
        if (!File.Exists(npyPath))
        {
            throw new FileNotFoundException($"File not found: {npyPath}", npyPath);
        }

        using var stream = DataFiles.OpenRead(npyPath, cancellationToken);
        return Read(stream, npyPath, vocabulary, options);
    }

    /// <summary>Reads a codes file: one code per line, in column order.</summary>
    /// <exception cref="EhrDataFormatException">A line is empty or a code repeats; the message names the line.</exception>
    public static CodeVocabulary ReadCodes(string codesPath, CancellationToken cancellationToken = default)
    {
        using var reader = DataFiles.OpenText(codesPath, cancellationToken);
        var codes = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            string code = line.Trim();
            if (!CodeVocabulary.IsValidCode(code))
            {
                throw new EhrDataFormatException($"'{TextSafety.Printable(code, 64)}' is not a valid code: {CodeVocabulary.CodeRule}", codesPath, lineNumber);
            }

            if (!seen.TryAdd(code, lineNumber))
            {
                throw new EhrDataFormatException($"the code repeats line {seen[code]}", codesPath, lineNumber, code: code);
            }

            codes.Add(code);
        }

        if (codes.Count == 0)
        {
            throw new EhrDataFormatException("the codes file is empty", codesPath);
        }

        return new CodeVocabulary(codes);
    }

    /// <summary>Reads a matrix from a stream, with a known vocabulary.</summary>
    /// <exception cref="EhrDataFormatException">The data is malformed; the message names the source, row and code.</exception>
    public static EhrLoadResult Read(Stream npy, string name, CodeVocabulary vocabulary, NpyReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(npy);
        ArgumentNullException.ThrowIfNull(vocabulary);
        options ??= new NpyReadOptions();
        var (type, rows, cols) = ReadHeader(npy, name);
        if (cols != vocabulary.Count)
        {
            throw new EhrDataFormatException($"the matrix has {cols} columns but the codes file lists {vocabulary.Count} codes", name);
        }

        if (npy.CanSeek)
        {
            long elementBytes = type switch { NpyElementType.Float64 => 8, NpyElementType.Float32 => 4, _ => 1 };
            long remaining = npy.Length - npy.Position;
            bool overflow = cols > 0 && rows > long.MaxValue / cols / elementBytes;
            long expected = overflow ? long.MaxValue : rows * cols * elementBytes;
            if (expected != remaining)
            {
                throw new EhrDataFormatException(
                    overflow || expected > remaining
                        ? $"the header says {rows:N0} rows of {cols:N0} codes, but the file holds data for {(cols == 0 ? 0 : remaining / (cols * elementBytes)):N0} rows"
                        : $"the file holds more data ({remaining:N0} bytes) than the header's {rows:N0} rows of {cols:N0} codes ({expected:N0} bytes)",
                    name);
            }
        }

        string[]? ids = null;
        if (options.PatientIdsPath is { } idsPath)
        {
            ids = File.ReadAllLines(idsPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            if (ids.Length != rows)
            {
                throw new EhrDataFormatException($"{ids.Length} ids for {rows} rows", idsPath);
            }
        }

        int width = type switch { NpyElementType.Float64 => 8, NpyElementType.Float32 => 4, _ => 1 };
        var rowBytes = new byte[checked(cols * width)];
        var report = new LoadReport(name);
        var builder = new EhrDatasetBuilder(vocabulary);
        var ones = new List<int>();
        double threshold = options.Threshold ?? 0.5;
        for (long r = 0; r < rows; r++)
        {
            try
            {
                npy.ReadExactly(rowBytes);
            }
            catch (EndOfStreamException e)
            {
                throw new EhrDataFormatException($"the data ends at row {r} of {rows}", name, innerException: e);
            }

            report.RowsRead++;
            ones.Clear();
            string Id() => ids?[r] ?? r.ToString(CultureInfo.InvariantCulture);
            for (int c = 0; c < cols; c++)
            {
                double v = type switch
                {
                    NpyElementType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(rowBytes.AsSpan(c * 8)),
                    NpyElementType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(rowBytes.AsSpan(c * 4)),
                    _ => rowBytes[c],
                };
                if (v == 1 || v == 0)
                {
                    if (v == 1)
                    {
                        ones.Add(c);
                    }

                    continue;
                }

                if (options.Threshold is null || type is NpyElementType.Bool or NpyElementType.UInt8 || double.IsNaN(v) || v < 0 || v > 1)
                {
                    throw new EhrDataFormatException(
                        $"value {v.ToString("R", CultureInfo.InvariantCulture)} at row {r} is not 0 or 1" +
                        (options.Threshold is null ? " (to read probabilities, binarise them at a threshold: NpyReadOptions.Threshold in the library, --threshold of 'ehrsynth evaluate' or 'ehrsynth convert' on the command line)" : " (probabilities must be in [0, 1])"),
                        name, lineNumber: null, patientId: Id(), code: vocabulary[c]);
                }

                if (v >= threshold)
                {
                    ones.Add(c);
                }
            }

            if (ones.Count == 0)
            {
                if (options.EmptyPatients == EmptyPatientPolicy.Throw)
                {
                    throw new EhrDataFormatException($"row {r} has no codes (to accept it, keep or skip empty patients: EmptyPatients in the library, --empty-patients on the command line)", name, patientId: Id());
                }

                if (options.EmptyPatients == EmptyPatientPolicy.Skip)
                {
                    report.Skip("row with no codes");
                    continue;
                }

                report.EmptyPatientsKept++;
            }

            builder.AddPatientSorted(Id(), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ones));
        }

        if (!npy.CanSeek && npy.ReadByte() >= 0)
        {
            throw new EhrDataFormatException($"the file holds more data than the header's {rows:N0} rows", name);
        }

        var dataset = builder.Build();
        report.Patients = dataset.PatientCount;
        report.Codes = dataset.CodeCount;
        report.StoredCodes = dataset.StoredCodeCount;
        return new EhrLoadResult(dataset, report);
    }

    /// <summary>
    /// Writes a dataset as a dense C-order .npy matrix and its codes file, both atomically.
    /// </summary>
    /// <param name="npyPath">The .npy file.</param>
    /// <param name="data">The data.</param>
    /// <param name="elementType">Element type. The default value is <see cref="NpyElementType.UInt8"/>.</param>
    /// <param name="codesPath">The codes file; <see langword="null"/> for <see cref="DefaultCodesPath"/>.</param>
    /// <param name="overwrite">Replace existing files. The default value is <see langword="false"/>.</param>
    /// <exception cref="OutputConflictException">A path is a folder, or an existing file without <paramref name="overwrite"/> (checked for both files before either is written).</exception>
    public static void Write(string npyPath, EhrDataset data, NpyElementType elementType = NpyElementType.UInt8, string? codesPath = null, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(npyPath);
        ArgumentNullException.ThrowIfNull(data);
        codesPath ??= DefaultCodesPath(npyPath);
        AtomicFile.CheckFileTarget(npyPath, overwrite);
        AtomicFile.CheckFileTarget(codesPath, overwrite);
        AtomicFile.Write(npyPath, stream => Write(stream, data, elementType), overwrite);
        AtomicFile.WriteText(codesPath, w =>
        {
            foreach (var code in data.Vocabulary)
            {
                w.Write(code);
                w.Write('\n');
            }
        }, overwrite);
    }

    /// <summary>Writes a dataset as a dense C-order .npy matrix to a stream.</summary>
    public static void Write(Stream stream, EhrDataset data, NpyElementType elementType = NpyElementType.UInt8)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteHeader(stream, data.PatientCount, data.CodeCount, elementType);
        WriteRows(stream, data, elementType);
    }

    /// <summary>Writes the header of a <paramref name="rows"/> × <paramref name="codes"/> matrix (for writing a large one in parts with <see cref="WriteRows"/>).</summary>
    public static void WriteHeader(Stream stream, long rows, int codes, NpyElementType elementType = NpyElementType.UInt8)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(codes);
        string descr = elementType switch
        {
            NpyElementType.Bool => "|b1",
            NpyElementType.UInt8 => "|u1",
            NpyElementType.Float32 => "<f4",
            NpyElementType.Float64 => "<f8",
            _ => throw new ArgumentOutOfRangeException(nameof(elementType)),
        };
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {codes}), }}");
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (64 - (unpadded % 64)) % 64;
        string header = dict + new string(' ', padding) + "\n";
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, checked((ushort)header.Length));
        stream.Write(len);
        stream.Write(Encoding.ASCII.GetBytes(header));
    }

    /// <summary>Writes the rows of <paramref name="data"/> (no header).</summary>
    public static void WriteRows(Stream stream, EhrDataset data, NpyElementType elementType = NpyElementType.UInt8)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        int width = elementType switch { NpyElementType.Float64 => 8, NpyElementType.Float32 => 4, _ => 1 };
        var row = new byte[data.CodeCount * width];
        for (int p = 0; p < data.PatientCount; p++)
        {
            Array.Clear(row);
            foreach (int c in data.GetCodes(p))
            {
                switch (elementType)
                {
                    case NpyElementType.Float64:
                        BinaryPrimitives.WriteDoubleLittleEndian(row.AsSpan(c * 8), 1.0);
                        break;
                    case NpyElementType.Float32:
                        BinaryPrimitives.WriteSingleLittleEndian(row.AsSpan(c * 4), 1f);
                        break;
                    default:
                        row[c] = 1;
                        break;
                }
            }

            stream.Write(row);
        }
    }

    private static (NpyElementType Type, long Rows, int Cols) ReadHeader(Stream npy, string name)
    {
        Span<byte> prefix = stackalloc byte[8];
        try
        {
            npy.ReadExactly(prefix);
        }
        catch (EndOfStreamException e)
        {
            throw new EhrDataFormatException("the file is empty or too short to be .npy", name, innerException: e);
        }

        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new EhrDataFormatException("not a NumPy .npy file (bad magic bytes)", name);
        }

        byte major = prefix[6];
        long headerLength;
        try
        {
            if (major == 1)
            {
                Span<byte> len = stackalloc byte[2];
                npy.ReadExactly(len);
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
            }
            else if (major is 2 or 3)
            {
                Span<byte> len = stackalloc byte[4];
                npy.ReadExactly(len);
                headerLength = BinaryPrimitives.ReadUInt32LittleEndian(len);
            }
            else
            {
                throw new EhrDataFormatException($".npy format version {major} is not supported (1, 2 or 3 expected)", name);
            }
        }
        catch (EndOfStreamException e)
        {
            throw new EhrDataFormatException("the file is too short to be .npy (it ends inside the header length)", name, innerException: e);
        }

        if (headerLength > InputLimits.MaxNpyHeaderBytes)
        {
            throw new EhrDataFormatException($"the header claims {headerLength:N0} bytes, more than the {InputLimits.MaxNpyHeaderBytes:N0} a .npy header may have", name);
        }

        if (npy.CanSeek && headerLength > npy.Length - npy.Position)
        {
            throw new EhrDataFormatException($"the header claims {headerLength:N0} bytes but the file ends after {npy.Length - npy.Position:N0}", name);
        }

        var headerBytes = new byte[headerLength];
        try
        {
            npy.ReadExactly(headerBytes);
        }
        catch (EndOfStreamException e)
        {
            throw new EhrDataFormatException($"the header is truncated (it claims {headerLength:N0} bytes)", name, innerException: e);
        }

        string header = Encoding.UTF8.GetString(headerBytes);
        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shape = ShapeRegex().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new EhrDataFormatException($"malformed .npy header: {header.Trim()}", name);
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw new EhrDataFormatException("Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray", name);
        }

        var type = descr.Groups[1].Value switch
        {
            "|b1" => NpyElementType.Bool,
            "|u1" or "<u1" => NpyElementType.UInt8,
            "<f4" => NpyElementType.Float32,
            "<f8" => NpyElementType.Float64,
            var other => throw new EhrDataFormatException($"element type '{other}' is not supported (|b1, |u1, <f4 or <f8 expected)", name),
        };
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (dims.Length != 2 || !long.TryParse(dims[0], CultureInfo.InvariantCulture, out long rows) || !int.TryParse(dims[1], CultureInfo.InvariantCulture, out int cols))
        {
            throw new EhrDataFormatException($"expected a 2-D shape (patients, codes), found ({shape.Groups[1].Value})", name);
        }

        if (rows < 0 || cols < 0)
        {
            throw new EhrDataFormatException($"the shape ({rows}, {cols}) has a negative number of rows or columns", name);
        }

        return (type, rows, cols);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}

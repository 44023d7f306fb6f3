using System.Reflection;
using System.Reflection.Emit;

// Lists every public TorchSharp method that creates a Scalar internally (directly, or by calling such a method):
// TorchSharp 0.107 leaves those Scalars to the finalizer, which can free one while a native call still reads it
// (dotnet/TorchSharp#1434, #1496). The output is a BannedApiAnalyzers file; src/ bans these symbols, so library code
// must use the rooted alternatives (RootedScalars, the Torch layer's Adam/AdamW and RootedBatchNorm1d).
var assembly = typeof(TorchSharp.torch).Assembly;
var scalar = typeof(TorchSharp.Scalar);
var opcodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

IEnumerable<MethodBase> Callees(MethodBase method)
{
    byte[]? il;
    try
    {
        il = method.GetMethodBody()?.GetILAsByteArray();
    }
    catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
    {
        yield break;
    }

    for (int i = 0; il is not null && i < il.Length;)
    {
        short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
        if (!opcodes.TryGetValue(value, out var op))
        {
            yield break;
        }

        int operand = op.OperandType switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i + op.Size)),
            _ => 4,
        };
        if (op.OperandType == OperandType.InlineMethod)
        {
            MethodBase? callee = null;
            try
            {
                callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + op.Size),
                    method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null,
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (ArgumentException)
            {
            }

            if (callee is not null)
            {
                yield return callee;
            }
        }

        i += op.Size + operand;
    }
}

const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
var methods = assembly.GetTypes().SelectMany(t => t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All))).ToList();
var calls = methods.ToDictionary(m => m, m => Callees(m).ToList());
var creating = methods.Where(m => calls[m].Any(c => (c.DeclaringType == scalar && c.Name == "op_Implicit") || c.Name == "ToScalar")).ToHashSet();
for (bool changed = true; changed;)
{
    changed = false;
    foreach (var m in methods.Where(m => !creating.Contains(m) && calls[m].Any(c => creating.Contains(c is MethodInfo { IsGenericMethod: true } g ? g.GetGenericMethodDefinition() : c))))
    {
        creating.Add(m);
        changed = true;
    }
}

static string DocType(Type t) =>
    t.IsByRef ? DocType(t.GetElementType()!) + "@"
    : t.IsArray ? DocType(t.GetElementType()!) + "[]"
    : t.IsGenericParameter ? (t.DeclaringMethod is not null ? "``" : "`") + t.GenericParameterPosition
    : t.IsGenericType ? Name(t.GetGenericTypeDefinition())[..Name(t.GetGenericTypeDefinition()).IndexOf('`')] + "{" + string.Join(",", t.GetGenericArguments().Select(DocType)) + "}"
    : Name(t);

static string Name(Type t) => (t.FullName ?? t.Name).Replace('+', '.');

static string DocId(MethodBase m)
{
    string name = m is ConstructorInfo ? "#ctor" : m.Name + (m.IsGenericMethod ? "``" + m.GetGenericArguments().Length : "");
    var parameters = m.GetParameters();
    string id = $"M:{Name(m.DeclaringType!)}.{name}" + (parameters.Length > 0 ? "(" + string.Join(",", parameters.Select(p => DocType(p.ParameterType))) + ")" : "");
    return m.Name is "op_Implicit" or "op_Explicit" ? id + "~" + DocType(((MethodInfo)m).ReturnType) : id;
}

static bool Visible(MethodBase m) => (m.IsPublic || m.IsFamily) && m.DeclaringType is { } t && (t.IsPublic || t.IsNestedPublic) && !(t.IsNested && t.DeclaringType is { IsPublic: false, IsNestedPublic: false });

// A property accessor is banned as its property: the analyzer reports a property access against the P: symbol, not
// the get_/set_ method (a probe in .ci/analyzer checks it).
static string BanId(MethodBase m) =>
    m is MethodInfo { IsSpecialName: true } accessor && (accessor.Name.StartsWith("get_", StringComparison.Ordinal) || accessor.Name.StartsWith("set_", StringComparison.Ordinal))
    && accessor.DeclaringType!.GetProperties(All).FirstOrDefault(p => p.GetMethod == accessor || p.SetMethod == accessor) is { } property
        ? $"P:{Name(accessor.DeclaringType)}.{property.Name}" + (property.GetIndexParameters() is { Length: > 0 } index ? "(" + string.Join(",", index.Select(i => DocType(i.ParameterType))) + ")" : "")
        : DocId(m);

if (args is ["--check", .. var files])
{
    // Every ban line must name a symbol of the pinned TorchSharp: the analyzer ignores a line it cannot resolve, so a
    // renamed method would silently leave the ban. Exit 1 listing the lines that resolve to nothing.
    var known = methods.Where(Visible).SelectMany(m => new[] { DocId(m), BanId(m) })
        .Concat(assembly.GetTypes().Where(t => t.IsPublic || t.IsNestedPublic).Select(t => $"T:{Name(t)}"))
        .ToHashSet(StringComparer.Ordinal);
    var unresolved = files.SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line.Trim())))
        .Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#') && !known.Contains(l.Text.Split(';')[0]))
        .ToList();
    foreach (var (file, line, text) in unresolved)
    {
        Console.Error.WriteLine($"{file}:{line}: no public TorchSharp {assembly.GetName().Version} symbol is {text.Split(';')[0]}");
    }

    Console.WriteLine($"{files.Sum(f => File.ReadLines(f).Count(l => l.Trim() is { Length: > 0 } t && !t.StartsWith('#')))} ban lines checked against TorchSharp {assembly.GetName().Version}: {unresolved.Count} unresolved.");
    return unresolved.Count == 0 ? 0 : 1;
}

Console.WriteLine($"# Generated by eng/HiddenScalarScan from TorchSharp {assembly.GetName().Version}: public methods that create a Scalar the finalizer may free mid-call.");
foreach (var id in creating.Where(Visible).Select(BanId).Distinct().Order(StringComparer.Ordinal))
{
    Console.WriteLine($"{id};creates a Scalar that is not rooted (dotnet/TorchSharp#1434): use RootedScalars, or an overload that takes a Scalar you hold");
}

return 0;

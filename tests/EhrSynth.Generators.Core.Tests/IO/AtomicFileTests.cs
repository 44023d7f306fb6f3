using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Write_InterruptedWrite_LeavesOldFileAndNoTemp()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("f.txt", "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write([1, 2, 3]);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void WriteDirectory_ReplacesOnlyWhenComplete()
    {
        using var dir = new TempDirectory();
        var target = dir.File("model");
        AtomicFile.WriteDirectory(target, tmp => File.WriteAllText(Path.Combine(tmp, "a"), "1"));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteDirectory(target, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "b"), "2");
            throw new InvalidOperationException("crash");
        }));
        Assert.Equal(["a"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Single(Directory.GetDirectories(dir.Path));

        AtomicFile.WriteDirectory(target, tmp => File.WriteAllText(Path.Combine(tmp, "c"), "3"));
        Assert.Equal(["c"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Single(Directory.GetDirectories(dir.Path));
    }
}

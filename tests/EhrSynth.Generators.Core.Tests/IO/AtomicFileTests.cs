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
        }, overwrite: true));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Write_ExistingFile_IsRefusedWithoutOverwrite_AndAFolderAlways()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("f.txt", "mine");
        var e = Assert.Throws<OutputConflictException>(() => AtomicFile.WriteText(path, w => w.Write("new")));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(path));

        AtomicFile.WriteText(path, w => w.Write("new"), overwrite: true);
        Assert.Equal("new", File.ReadAllText(path));

        Directory.CreateDirectory(dir.File("folder.csv"));
        Assert.Throws<OutputConflictException>(() => AtomicFile.WriteText(dir.File("folder.csv"), w => w.Write("x"), overwrite: true));
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("folder.csv")));
    }

    [Fact]
    public void Write_RemovesTemporaryFilesAKilledProcessLeftBehind()
    {
        using var dir = new TempDirectory();
        string stale = dir.Write($".out.csv.{Guid.NewGuid():N}.ehrsynth-tmp", "half");
        string lookalike = dir.Write(".out.csv.notaguid.ehrsynth-tmp", "someone else's");
        AtomicFile.WriteText(dir.File("out.csv"), w => w.Write("whole"));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(lookalike));
        Assert.Equal("whole", File.ReadAllText(dir.File("out.csv")));
    }

    [Fact]
    public void WriteDirectory_ReplacesItsOwnOutputOnlyWhenComplete()
    {
        using var dir = new TempDirectory();
        var target = dir.File("model");
        AtomicFile.WriteDirectory(target, tmp => File.WriteAllText(Path.Combine(tmp, "a"), "1"));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteDirectory(target, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "b"), "2");
            throw new InvalidOperationException("crash");
        }));
        Assert.Equal(["a"], Files(target));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));

        AtomicFile.WriteDirectory(target, tmp =>
        {
            Directory.CreateDirectory(Path.Combine(tmp, "sub"));
            File.WriteAllText(Path.Combine(tmp, "sub", "c"), "3");
        });
        Assert.Equal(["sub/c"], Files(target));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void WriteDirectory_FolderWithForeignFiles_IsRefusedAndUntouched()
    {
        using var dir = new TempDirectory();
        var victim = dir.File("victim");
        dir.Write("victim/thesis.txt", "x");
        Directory.CreateDirectory(dir.File("victim/sub"));
        bool wrote = false;
        var e = Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(victim, _ => wrote = true));
        Assert.False(wrote);
        Assert.Contains("thesis.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("sub/", e.Message, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(dir.File("victim/thesis.txt")));
        Assert.True(Directory.Exists(dir.File("victim/sub")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));

        // Our own output that somebody added a file to is not ours alone any more.
        AtomicFile.WriteDirectory(dir.File("ours"), tmp => File.WriteAllText(Path.Combine(tmp, "a"), "1"));
        dir.Write("ours/notes.md", "mine");
        Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(dir.File("ours"), tmp => File.WriteAllText(Path.Combine(tmp, "a"), "2")));
        Assert.Equal("mine", File.ReadAllText(dir.File("ours/notes.md")));
        Assert.Equal("1", File.ReadAllText(dir.File("ours/a")));
    }

    [Fact]
    public void WriteDirectory_EmptyFolder_IsUsed_AndAFileIsRefused()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("empty"));
        AtomicFile.WriteDirectory(dir.File("empty"), tmp => File.WriteAllText(Path.Combine(tmp, "a"), "1"));
        Assert.Equal(["a"], Files(dir.File("empty")));

        string file = dir.Write("file", "x");
        Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(file, _ => { }));
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void RecoverDirectory_AfterACrashBetweenTheTwoRenames_PutsTheCompleteFolderBack()
    {
        using var dir = new TempDirectory();
        var target = dir.File("ckpt");
        AtomicFile.WriteDirectory(target, tmp => File.WriteAllText(Path.Combine(tmp, "epoch"), "1"));

        // A crash after "move the old folder aside" and before "move the new one in": only the old copy exists.
        string aside = dir.File($".ckpt.{Guid.NewGuid():N}.ehrsynth-old");
        Directory.Move(target, aside);
        Assert.True(AtomicFile.RecoverDirectory(target));
        Assert.Equal("1", File.ReadAllText(Path.Combine(target, "epoch")));

        // With a complete new copy beside it too, the newer one wins.
        Directory.Move(target, aside);
        string newer = dir.File($".ckpt.{Guid.NewGuid():N}.ehrsynth-tmp");
        AtomicFile.WriteDirectory(dir.File("staging"), tmp => File.WriteAllText(Path.Combine(tmp, "epoch"), "2"));
        Directory.Move(dir.File("staging"), newer);
        Assert.True(AtomicFile.RecoverDirectory(target));
        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "epoch")));

        // A partial new copy (no marker yet) is never recovered.
        Directory.Delete(target, recursive: true);
        Directory.Delete(aside, recursive: true);
        Directory.CreateDirectory(dir.File($".ckpt.{Guid.NewGuid():N}.ehrsynth-tmp"));
        Assert.False(AtomicFile.RecoverDirectory(target));
        Assert.False(Directory.Exists(target));
    }

    private static string[] Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != ".ehrsynth-output.json")
            .Order(StringComparer.Ordinal)];
}

using EhrSynth.Generators.IO;
using EhrSynth.Generators.Testing;

namespace EhrSynth.Generators.Core.Tests.IO;

/// <summary>
/// Nothing is deleted through a symbolic link (docs/reliability.md §1): a forged <c>.ehrsynth-output.json</c> that lists
/// a path through a linked folder, a planted leftover sibling, and a link given as the output itself. Each case deleted
/// or replaced files outside the output on main at 8ad5607.
/// </summary>
public class LinkSafetyTests
{
    private const string Marker = ".ehrsynth-output.json";

    [Fact]
    public void WriteDirectory_ForgedMarkerThroughALinkedFolder_IsRefusedAndDeletesNothing()
    {
        using var dir = new TempDirectory();
        string victim = dir.Write("elsewhere/victim.txt", "thesis");
        dir.Write("elsewhere/deep/z.txt", "data");
        string output = dir.File("out");
        Directory.CreateDirectory(output);
        Link(Path.Combine(output, "sub"), dir.File("elsewhere"));
        Forge(output, "sub/victim.txt", "sub/deep/z.txt");
        bool wrote = false;

        var e = Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(output, tmp => wrote = true));

        Assert.False(wrote);                                                   // refused before any work
        Assert.Contains("sub (a symbolic link)", e.Message, StringComparison.Ordinal);
        Assert.Equal("thesis", File.ReadAllText(victim));
        Assert.Equal("data", File.ReadAllText(dir.File("elsewhere/deep/z.txt")));
        Assert.True(FileSystemLinks.IsLink(Path.Combine(output, "sub")));
    }

    [Fact]
    public void WriteDirectory_MarkerListingALinkItself_IsRefusedAndTheLinkStays()
    {
        using var dir = new TempDirectory();
        string victim = dir.Write("elsewhere/victim.txt", "thesis");
        string output = dir.File("out");
        Directory.CreateDirectory(output);
        LinkFile(Path.Combine(output, "model.safetensors"), victim);
        Forge(output, "model.safetensors");

        Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(output, tmp => File.WriteAllText(Path.Combine(tmp, "a"), "1")));

        Assert.True(FileSystemLinks.IsLink(Path.Combine(output, "model.safetensors")));
        Assert.Equal("thesis", File.ReadAllText(victim));
    }

    [Fact]
    public void WriteDirectory_PlantedOldSiblingWithAForgedMarker_RefusesBeforeAnyWorkEvenForANewFolder()
    {
        using var dir = new TempDirectory();
        string victim = dir.Write("elsewhere/victim.txt", "thesis");
        string sibling = dir.File($".m2.{Guid.NewGuid():N}.ehrsynth-old");
        Directory.CreateDirectory(sibling);
        Link(Path.Combine(sibling, "sub"), dir.File("elsewhere"));
        Forge(sibling, "sub/victim.txt");
        bool wrote = false;

        var e = Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(dir.File("m2"), tmp => wrote = true));

        Assert.False(wrote);
        Assert.Contains(Path.GetFileName(sibling), e.Message, StringComparison.Ordinal);
        Assert.Equal("thesis", File.ReadAllText(victim));
        Assert.False(Directory.Exists(dir.File("m2")));
        Assert.True(Directory.Exists(sibling));
    }

    [Fact]
    public void WriteDirectory_LeftoverSiblingsThatAreLinks_AreLeftAloneAndNeverEntered()
    {
        using var dir = new TempDirectory();
        string victim = dir.Write("elsewhere/victim.txt", "thesis");
        Forge(dir.File("elsewhere"), "victim.txt");                            // the target even looks like our output
        string old = dir.File($".m3.{Guid.NewGuid():N}.ehrsynth-old");
        string tmp = dir.File($".m3.{Guid.NewGuid():N}.ehrsynth-tmp");
        Link(old, dir.File("elsewhere"));
        Link(tmp, dir.File("elsewhere"));

        AtomicFile.WriteDirectory(dir.File("m3"), t => File.WriteAllText(Path.Combine(t, "a"), "1"));

        Assert.Equal("1", File.ReadAllText(dir.File("m3/a")));
        Assert.Equal("thesis", File.ReadAllText(victim));
        Assert.True(FileSystemLinks.IsLink(old));
        Assert.True(FileSystemLinks.IsLink(tmp));
    }

    [Fact]
    public void WriteDirectory_KilledWritesHalfFolderHoldingALink_IsRemovedWithoutFollowingIt()
    {
        using var dir = new TempDirectory();
        string victim = dir.Write("elsewhere/victim.txt", "thesis");
        string tmp = dir.File($".m4.{Guid.NewGuid():N}.ehrsynth-tmp");
        Directory.CreateDirectory(tmp);
        File.WriteAllText(Path.Combine(tmp, "half.bin"), "x");
        Link(Path.Combine(tmp, "sub"), dir.File("elsewhere"));

        AtomicFile.WriteDirectory(dir.File("m4"), t => File.WriteAllText(Path.Combine(t, "a"), "1"));

        Assert.False(Directory.Exists(tmp));
        Assert.Equal("thesis", File.ReadAllText(victim));
    }

    [Fact]
    public void WriteDirectory_OutputThatIsALinkToAnEarlierOutput_IsFollowed_TheLinkStaysAndOnlyTheTargetChanges()
    {
        using var dir = new TempDirectory();
        string target = dir.File("models/run1");
        AtomicFile.WriteDirectory(target, t => File.WriteAllText(Path.Combine(t, "weights"), "old"));
        string link = dir.File("latest");
        Link(link, target);

        string full = AtomicFile.CheckDirectoryTarget(link);
        AtomicFile.WriteDirectory(link, t => File.WriteAllText(Path.Combine(t, "weights"), "new"));

        Assert.Equal(Path.GetFullPath(target), full);
        Assert.True(FileSystemLinks.IsLink(link));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "weights")));
        Assert.Equal(["latest", "models"], Names(dir.Path));
        Assert.Equal(["run1"], Names(dir.File("models")));
    }

    [Fact]
    public void WriteDirectory_OutputThatIsALinkToAForeignFolder_IsRefusedAndTheFolderKept()
    {
        using var dir = new TempDirectory();
        string thesis = dir.Write("docs/thesis.txt", "mine");
        string link = dir.File("out");
        Link(link, dir.File("docs"));

        Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(link, t => File.WriteAllText(Path.Combine(t, "a"), "1")));

        Assert.Equal("mine", File.ReadAllText(thesis));
        Assert.True(FileSystemLinks.IsLink(link));
    }

    [Fact]
    public void Write_FileOutputThatIsALink_IsFollowed_TheLinkStays()
    {
        using var dir = new TempDirectory();
        string target = dir.Write("data/out.csv", "old");
        string link = dir.File("out.csv");
        LinkFile(link, target);

        Assert.Throws<OutputConflictException>(() => AtomicFile.WriteText(link, w => w.Write("new")));
        Assert.Equal("old", File.ReadAllText(target));

        AtomicFile.WriteText(link, w => w.Write("new"), overwrite: true);
        Assert.True(FileSystemLinks.IsLink(link));
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void CheckTargets_APathUnderAnExistingFile_IsRefusedBeforeAnyWork()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("existing.csv", "keep");

        var folder = Assert.Throws<OutputConflictException>(() => AtomicFile.CheckDirectoryTarget(Path.Combine(file, "model")));
        var deep = Assert.Throws<OutputConflictException>(() => AtomicFile.CheckFileTarget(Path.Combine(file, "a", "b.csv")));
        bool wrote = false;
        Assert.Throws<OutputConflictException>(() => AtomicFile.WriteDirectory(Path.Combine(file, "model"), _ => wrote = true));

        Assert.Contains("existing.csv is a file", folder.Message, StringComparison.Ordinal);
        Assert.Contains("existing.csv is a file", deep.Message, StringComparison.Ordinal);
        Assert.False(wrote);
        Assert.Equal("keep", File.ReadAllText(file));
    }

    [Fact]
    public void Write_AFileSystemFailure_NamesTheOutputAndNotItsTemporaryFile()
    {
        if (!Directory.Exists("/proc/self"))
        {
            return;                                                            // Linux only: /proc refuses new files
        }

        var e = Assert.Throws<IOException>(() => AtomicFile.WriteText("/proc/ehrsynth-test.csv", w => w.Write("x")));

        Assert.StartsWith("/proc/ehrsynth-test.csv: could not be written", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ehrsynth-tmp", e.Message, StringComparison.Ordinal);
        Assert.IsNotType<OutputConflictException>(e);
    }

    [Fact]
    public void ProblemInside_ChecksEveryComponentWithoutFollowingLinks()
    {
        using var dir = new TempDirectory();
        dir.Write("root/a/b.txt", "x");
        dir.Write("root/file.txt", "x");
        dir.Write("elsewhere/c.txt", "x");
        Link(dir.File("root/link"), dir.File("elsewhere"));
        string root = dir.File("root");

        Assert.Null(FileSystemLinks.ProblemInside(root, "a/b.txt"));
        Assert.Null(FileSystemLinks.ProblemInside(root, "a/missing.txt"));
        Assert.Contains("'link' is a symbolic link", FileSystemLinks.ProblemInside(root, "link/c.txt"), StringComparison.Ordinal);
        Assert.Contains("is a folder", FileSystemLinks.ProblemInside(root, "a"), StringComparison.Ordinal);
        Assert.Contains("is a file, not a folder", FileSystemLinks.ProblemInside(root, "file.txt/x"), StringComparison.Ordinal);
        Assert.NotNull(FileSystemLinks.ProblemInside(root, "../elsewhere/c.txt"));
        Assert.NotNull(FileSystemLinks.ProblemInside(root, "a//b.txt"));
    }

    [Fact]
    public void Walk_ListsLinksAndNeverEntersThem()
    {
        using var dir = new TempDirectory();
        dir.Write("root/a/b.txt", "x");
        dir.Write("elsewhere/secret.txt", "x");
        Link(dir.File("root/link"), dir.File("elsewhere"));

        var entries = FileSystemLinks.Walk(dir.File("root")).ToList();

        Assert.Equal(
            [("a", FileSystemEntryKind.Folder), ("link", FileSystemEntryKind.Link), ("a/b.txt", FileSystemEntryKind.File)],
            entries);
    }

    /// <summary>A marker that claims <paramref name="files"/> for <paramref name="folder"/>, as an attacker would write it.</summary>
    private static void Forge(string folder, params string[] files) =>
        File.WriteAllText(Path.Combine(folder, Marker),
            System.Text.Json.JsonSerializer.Serialize(new { Writer = "EhrSynth.Generators", Version = 1, Files = files }));

    private static string[] Names(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal)];

    private static void Link(string path, string target) => Directory.CreateSymbolicLink(path, target);

    private static void LinkFile(string path, string target) => File.CreateSymbolicLink(path, target);
}

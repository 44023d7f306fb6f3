namespace EhrSynth.Generators.IO;

/// <summary>The kind of an entry, seen without following a link.</summary>
internal enum FileSystemEntryKind
{
    /// <summary>Nothing at the path (a dangling link is a <see cref="Link"/>).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    File,

    /// <summary>A real folder (not a link to one).</summary>
    Folder,

    /// <summary>A symbolic link or a junction (to anything, or to nothing).</summary>
    Link,
}

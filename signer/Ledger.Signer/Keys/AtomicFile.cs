using System.Security.Cryptography;

namespace Ledger.Signer.Keys;

/// <summary>Owner-only files written whole: a temp file, fsync, then rename — a crash leaves the old or the new file, never half.</summary>
internal static class AtomicFile
{
    public static void WriteNew(string path, byte[] content) => Write(path, content, overwrite: false);

    public static void Replace(string path, byte[] content) => Write(path, content, overwrite: true);

    private static void Write(string path, byte[] content, bool overwrite)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}

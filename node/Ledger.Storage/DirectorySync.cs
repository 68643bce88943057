using System.Runtime.InteropServices;

namespace Ledger.Storage;

/// <summary>
/// fsync of a directory, so that a file created (or renamed) in it survives a power cut: .NET offers no way to open a
/// directory, so this goes to libc on Linux and macOS, and does nothing elsewhere.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0) throw new IOException($"cannot open the directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Sync(descriptor) != 0) throw new IOException($"cannot sync the directory {directory} (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Sync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}

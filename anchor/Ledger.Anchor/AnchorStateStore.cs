using System.Text.Json;
using Ledger.Core;

namespace Ledger.Anchor;

/// <summary>
/// <see cref="AnchorState"/> in one JSON file, replaced atomically (write a temp file, fsync, rename, fsync the
/// folder), so a SIGKILL leaves either the old state or the new one.
/// </summary>
public sealed class AnchorStateStore(string path)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public string Path { get; } = path;

    public AnchorState Load()
    {
        if (!File.Exists(Path)) return new AnchorState();
        try
        {
            return JsonSerializer.Deserialize<AnchorState>(File.ReadAllText(Path), Json)
                ?? throw new LedgerException(ErrorCode.MissingField, $"{Path}: empty");
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{Path}: not an anchor state file ({e.Message})");
        }
    }

    public void Save(AnchorState state)
    {
        var temp = Path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, state, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
        FsyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    }

    private static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var descriptor = Open(directory, 0);
        if (descriptor < 0) return; // a file system that cannot open folders: the rename is as durable as it makes it
        try
        {
            _ = Fsync(descriptor);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}

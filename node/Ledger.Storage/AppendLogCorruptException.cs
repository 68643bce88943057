using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// An <see cref="AppendLog"/> damaged before its end (not a torn final write): nothing was cut, the process must not
/// go on as if the records after the damage never existed. Code <see cref="ErrorCode.StorageCorrupt"/>.
/// </summary>
public sealed class AppendLogCorruptException(string path, long offset, string message) : LedgerException(StorageErrors.Corrupt, message)
{
    public string Path { get; } = path;

    /// <summary>Where the first damaged frame starts, in bytes from the start of the file.</summary>
    public long Offset { get; } = offset;
}

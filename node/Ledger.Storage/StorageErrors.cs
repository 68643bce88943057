using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// The codes storage refusals carry: Core's storage section (600-699), and the general codes where one fits.
/// </summary>
internal static class StorageErrors
{
    /// <summary>The database file is not readable as a database (bytes on disk).</summary>
    public const ErrorCode Corrupt = ErrorCode.StorageCorrupt;

    /// <summary>Another process (or another store in this one) holds the database.</summary>
    public const ErrorCode Locked = ErrorCode.StorageLocked;

    /// <summary>A key too long for the engine.</summary>
    public const ErrorCode KeyTooLong = ErrorCode.Oversize;

    /// <summary>A block that does not extend the head: wrong height.</summary>
    public const ErrorCode WrongHeight = ErrorCode.BlockOutOfOrder;

    /// <summary>A block whose previous hash is not the head's hash, or whose certificate names another block.</summary>
    public const ErrorCode WrongParent = ErrorCode.BlockParentMismatch;

    /// <summary>A block without a commit certificate.</summary>
    public const ErrorCode Uncertified = ErrorCode.InsufficientSeals;
}

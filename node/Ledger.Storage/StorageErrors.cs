using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// The codes storage refusals carry. Core has no storage section yet, so these map onto the closest
/// existing codes; when Core gains dedicated ones, only this file changes.
/// </summary>
internal static class StorageErrors
{
    /// <summary>The database file is not readable as a database (bytes on disk).</summary>
    public const ErrorCode Corrupt = ErrorCode.InvalidFieldValue;

    /// <summary>Another process (or another store in this one) holds the database.</summary>
    public const ErrorCode Locked = ErrorCode.InvalidFieldValue;

    /// <summary>A key too long for the engine.</summary>
    public const ErrorCode KeyTooLong = ErrorCode.Oversize;

    /// <summary>A block that does not extend the head: wrong height.</summary>
    public const ErrorCode WrongHeight = ErrorCode.InvalidFieldValue;

    /// <summary>A block whose previous hash is not the head's hash, or whose certificate names another block.</summary>
    public const ErrorCode WrongParent = ErrorCode.InvalidBlockHash;

    /// <summary>A block without a commit certificate.</summary>
    public const ErrorCode Uncertified = ErrorCode.InsufficientSeals;
}

namespace Ledger.Consensus.Wal;

/// <summary>What a WAL record holds. Values are on disk: never renumber.</summary>
public enum WalRecordKind : uint
{
    /// <summary>A message this validator signed, appended before it is sent.</summary>
    OwnMessage = 1,

    /// <summary>A prepared certificate, appended before the COMMIT it leads to (a restart must remember it for its ROUND-CHANGEs).</summary>
    Prepared = 2,

    /// <summary>The height was committed (after <see cref="Ports.IBlockCommitter.Commit"/> returned); earlier records may be discarded.</summary>
    HeightCompleted = 3,
}

using Ledger.Core;
using Ledger.Core.Transactions;

namespace Ledger.Signer.Intent;

/// <summary>
/// A one-time challenge: bound to one holder and the exact bytes of one payload's statement signing message, valid until
/// <see cref="ExpiresAt"/>, consumed by the one confirmation that uses it (or by a mismatched attempt).
/// </summary>
public sealed class Challenge(byte[] id, string holderId, PayloadToSign payload, byte[] signingMessage, DateTimeOffset expiresAt)
{
    private int _consumed;

    public byte[] Id { get; } = id;
    public string IdHex { get; } = Convert.ToHexStringLower(id);
    public string HolderId { get; } = holderId;
    public PayloadToSign Payload { get; } = payload;
    public ContractStatement Statement { get; } = payload.Statement;

    /// <summary>What the holder reads before the PIN (zh-CN).</summary>
    public string Text { get; } = payload.Text;
    public byte[] SigningMessage { get; } = signingMessage;
    public Hash32 StatementHash { get; } = Crypto.Sm3.Hash(signingMessage);
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public bool IsConsumed => Volatile.Read(ref _consumed) != 0;

    /// <summary>True for exactly one caller.</summary>
    public bool TryConsume() => Interlocked.Exchange(ref _consumed, 1) == 0;
}

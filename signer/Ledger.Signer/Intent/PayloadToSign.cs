using Ledger.Client;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Signer.Intent;

/// <summary>
/// A tx payload a holder is asked to consent to, on one chain. The statement (v2) is derived from it — never taken
/// from the caller — and so is the zh-CN text the holder reads before the PIN, which shows every fact the signature binds.
/// </summary>
public sealed record PayloadToSign(string ChainId, IContractPayload Payload)
{
    public ContractStatement Statement => ContractPayloads.StatementFor(Payload, ChainId, Sm3Hasher.Instance);

    public byte[] SigningMessage() => Statement.SigningMessage();

    public string Text => StatementText.Render(Statement, Payload);

    /// <summary>Decodes a payload as a tx body would carry it; any defect is a typed <see cref="Core.LedgerException"/>.</summary>
    public static PayloadToSign Decode(string chainId, int payloadField, ReadOnlySpan<byte> payload) =>
        new(chainId, ContractPayloads.Decode(payloadField, payload));
}

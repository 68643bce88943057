using System.Globalization;
using Ledger.Core.Wire;

namespace Ledger.Core.Transactions;

/// <summary>
/// What a party signs to agree to one tx about one contract (statement v2):
/// <c>ContractStatement { chain_id = 1, contract_id = 2, version = 3, document_hash = 4, action = 5, payload_hash = 6 }</c>,
/// where <c>payload_hash</c> is SM3 of the complete canonical payload bytes the tx carries. Every fact the chaincode
/// checks or records — terms, basis, reason, dates, attestation — is therefore under every party's signature: a tx
/// whose payload differs in one byte from what a party signed fails admission with <see cref="ErrorCode.StatementMismatch"/>.
/// The signed message is <see cref="SigningPrefix"/> followed by the encoding, so a statement signature can never
/// pass for a signature over anything else (nor for one of an earlier statement format).
/// </summary>
public sealed record ContractStatement(string ChainId, string ContractId, uint Version, Hash32 DocumentHash, ContractAction Action, Hash32 PayloadHash)
{
    public static ReadOnlySpan<byte> SigningPrefix => "ledger/contract-statement/v2\n"u8;

    public byte[] Encode()
    {
        var w = new ProtoWriter(160);
        w.WriteString(1, ChainId);
        w.WriteString(2, ContractId);
        w.WriteUInt32(3, Version);
        w.WriteHash(4, DocumentHash);
        w.WriteUInt32(5, (uint)Action);
        w.WriteHash(6, PayloadHash);
        return w.ToArray();
    }

    /// <summary>The exact bytes an SM2 signature over this statement covers.</summary>
    public byte[] SigningMessage()
    {
        var encoded = Encode();
        var message = new byte[SigningPrefix.Length + encoded.Length];
        SigningPrefix.CopyTo(message);
        encoded.CopyTo(message, SigningPrefix.Length);
        return message;
    }

    public static ContractStatement Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxMessageBytes)
            throw new LedgerException(ErrorCode.Oversize, $"ContractStatement: {bytes.Length} bytes");
        var r = new ProtoReader(bytes, "ContractStatement");
        string? chainId = null, contractId = null;
        uint version = 0;
        Hash32? documentHash = null, payloadHash = null;
        var action = ContractAction.Unspecified;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: chainId = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 2: contractId = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 3: version = r.ReadUInt32(); break;
                case 4: documentHash = r.ReadHash(); break;
                case 5:
                    var a = r.ReadUInt32();
                    action = Enum.IsDefined((ContractAction)a) ? (ContractAction)a : throw r.Invalid($"ContractStatement: unknown action {a}");
                    break;
                case 6: payloadHash = r.ReadHash(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new ContractStatement(
            chainId ?? throw r.Missing("ContractStatement.chain_id"),
            contractId ?? throw r.Missing("ContractStatement.contract_id"),
            version != 0 ? version : throw r.Missing("ContractStatement.version"),
            documentHash ?? throw r.Missing("ContractStatement.document_hash"),
            action != ContractAction.Unspecified ? action : throw r.Missing("ContractStatement.action"),
            payloadHash ?? throw r.Missing("ContractStatement.payload_hash"));
    }

    /// <summary>One line for logs; what a person reads before consenting is <c>Contracts.StatementText</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Action} contract {ContractId} version {Version}, document SM3 {DocumentHash}, payload SM3 {PayloadHash}, on chain {ChainId}");
}

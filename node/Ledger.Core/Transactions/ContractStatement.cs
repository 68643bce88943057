using Ledger.Core.Wire;

namespace Ledger.Core.Transactions;

/// <summary>
/// What a party signs to agree to one version of one contract:
/// <c>ContractStatement { chain_id = 1, contract_id = 2, version = 3, document_hash = 4, action = 5 }</c>.
/// It names everything the consent is about, so a proof shows who agreed to what without asking any node.
/// The signed message is <see cref="SigningPrefix"/> followed by the encoding, so a statement signature
/// can never pass for a signature over anything else.
/// </summary>
public sealed record ContractStatement(string ChainId, string ContractId, uint Version, Hash32 DocumentHash, ContractAction Action)
{
    public static ReadOnlySpan<byte> SigningPrefix => "ledger/contract-statement/v1\n"u8;

    public byte[] Encode()
    {
        var w = new ProtoWriter(128);
        w.WriteString(1, ChainId);
        w.WriteString(2, ContractId);
        w.WriteUInt32(3, Version);
        w.WriteHash(4, DocumentHash);
        w.WriteUInt32(5, (uint)Action);
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
        Hash32? documentHash = null;
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
                default: throw r.UnknownField(field);
            }
        }
        return new ContractStatement(
            chainId ?? throw r.Missing("ContractStatement.chain_id"),
            contractId ?? throw r.Missing("ContractStatement.contract_id"),
            version != 0 ? version : throw r.Missing("ContractStatement.version"),
            documentHash ?? throw r.Missing("ContractStatement.document_hash"),
            action != ContractAction.Unspecified ? action : throw r.Missing("ContractStatement.action"));
    }

    /// <summary>One line a person can read before consenting (the signer service shows it back).</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Action} contract {ContractId} version {Version}, document SM3 {DocumentHash}, on chain {ChainId}");
}

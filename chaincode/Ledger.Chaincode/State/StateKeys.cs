using System.Text;
using Ledger.Core;

namespace Ledger.Chaincode.State;

/// <summary>
/// The chaincode's storage prefixes, declared once (as Neo's native contracts do). 0x10-0x1F belong to the
/// labour-contract lifecycle, 0x20 to audit anchors, 0x30-0x3F to access grants and access records; governance takes other ranges.
/// </summary>
public static class StateKeys
{
    /// <summary>0x10 ‖ UTF-8 contract id → <see cref="ContractRecord"/>.</summary>
    public const byte ContractPrefix = 0x10;

    /// <summary>0x11 ‖ 18-character employer credit code ‖ 32-byte worker commitment → <see cref="PartyPairRecord"/>.</summary>
    public const byte PartyPairPrefix = 0x11;

    /// <summary>0x20 ‖ 32-byte key id of the anchoring signer → <see cref="Audit.AuditAnchorRecord"/>.</summary>
    public const byte AuditAnchorPrefix = 0x20;

    /// <summary>0x30 ‖ 32-byte grant id (the grant's tx id) → <see cref="Access.GrantRecord"/>.</summary>
    public const byte GrantPrefix = 0x30;

    /// <summary>0x31 ‖ 18-character employer credit code ‖ 32-byte integrator certificate id → the latest delegation's grant id.</summary>
    public const byte DelegationPrefix = 0x31;

    /// <summary>0x32 ‖ 32-byte worker index key → u64 big-endian count of access log entries.</summary>
    public const byte AccessLogCountPrefix = 0x32;

    /// <summary>0x33 ‖ 32-byte worker index key ‖ u64 big-endian sequence (from 0) → <see cref="Access.AccessLogEntry"/>.</summary>
    public const byte AccessLogPrefix = 0x33;

    public static byte[] Grant(Hash32 grantId) => WithHash(GrantPrefix, grantId);

    public static byte[] Delegation(string employerCreditCode, Hash32 integrator)
    {
        var codeLength = Encoding.UTF8.GetByteCount(employerCreditCode);
        var key = new byte[1 + codeLength + Hash32.Size];
        key[0] = DelegationPrefix;
        Encoding.UTF8.GetBytes(employerCreditCode, key.AsSpan(1));
        integrator.CopyTo(key.AsSpan(1 + codeLength));
        return key;
    }

    public static byte[] AccessLogCount(Hash32 workerIndexKey) => WithHash(AccessLogCountPrefix, workerIndexKey);

    public static byte[] AccessLog(Hash32 workerIndexKey, ulong sequence)
    {
        var key = new byte[1 + Hash32.Size + 8];
        key[0] = AccessLogPrefix;
        workerIndexKey.CopyTo(key.AsSpan(1));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1 + Hash32.Size), sequence);
        return key;
    }

    private static byte[] WithHash(byte prefix, Hash32 hash)
    {
        var key = new byte[1 + Hash32.Size];
        key[0] = prefix;
        hash.CopyTo(key.AsSpan(1));
        return key;
    }

    /// <summary>0x21 ‖ height (8, big-endian) ‖ EVM chain id (8, big-endian) ‖ contract (20) → the ExternalAnchor payload's bytes.</summary>
    public const byte ExternalAnchorPrefix = 0x21;

    public static byte[] ExternalAnchor(ulong height, ulong evmChainId, ReadOnlySpan<byte> contract)
    {
        var key = new byte[1 + 8 + 8 + contract.Length];
        key[0] = ExternalAnchorPrefix;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(9), evmChainId);
        contract.CopyTo(key.AsSpan(17));
        return key;
    }

    /// <summary>0x22 ‖ 32-byte submitter certificate id ‖ 32-byte batch root → <see cref="PaperBatches.PaperBatchRecord"/>.</summary>
    public const byte PaperBatchPrefix = 0x22;

    public static byte[] PaperBatch(Hash32 submitter, Hash32 root)
    {
        var key = new byte[1 + 2 * Hash32.Size];
        key[0] = PaperBatchPrefix;
        submitter.CopyTo(key.AsSpan(1));
        root.CopyTo(key.AsSpan(1 + Hash32.Size));
        return key;
    }

    public static byte[] AuditAnchor(Hash32 signerKeyId)
    {
        var key = new byte[1 + Hash32.Size];
        key[0] = AuditAnchorPrefix;
        signerKeyId.CopyTo(key.AsSpan(1));
        return key;
    }

    public static byte[] Contract(string contractId)
    {
        var key = new byte[1 + Encoding.UTF8.GetByteCount(contractId)];
        key[0] = ContractPrefix;
        Encoding.UTF8.GetBytes(contractId, key.AsSpan(1));
        return key;
    }

    public static byte[] PartyPair(string employerCreditCode, Hash32 workerPseudonym)
    {
        var codeLength = Encoding.UTF8.GetByteCount(employerCreditCode);
        var key = new byte[1 + codeLength + Hash32.Size];
        key[0] = PartyPairPrefix;
        Encoding.UTF8.GetBytes(employerCreditCode, key.AsSpan(1));
        workerPseudonym.CopyTo(key.AsSpan(1 + codeLength));
        return key;
    }
}

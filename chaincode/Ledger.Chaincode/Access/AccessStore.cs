using System.Buffers.Binary;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.State;

namespace Ledger.Chaincode.Access;

/// <summary>Reads and writes of grants and the access log, for the chaincode and for the node's read path.</summary>
public static class AccessStore
{
    /// <summary>Most entries one listing returns (newest last).</summary>
    public const int MaxListed = 1000;

    public static GrantRecord? GetGrant(IStateStore state, Hash32 grantId) =>
        state.Get(StateKeys.Grant(grantId)) is { } bytes ? GrantRecord.Decode(bytes) : null;

    /// <summary>The latest delegation an employer gave an integrator, or null.</summary>
    public static (Hash32 Id, GrantRecord Grant)? GetDelegation(IStateStore state, string employerCreditCode, Hash32 integrator)
    {
        if (state.Get(StateKeys.Delegation(employerCreditCode, integrator)) is not { Length: Hash32.Size } id) return null;
        var grantId = new Hash32(id);
        return GetGrant(state, grantId) is { } grant ? (grantId, grant) : null;
    }

    public static void Append(IStateStore state, Hash32 workerIndexKey, AccessLogEntry entry)
    {
        var countKey = StateKeys.AccessLogCount(workerIndexKey);
        var count = Count(state, workerIndexKey);
        state.Put(StateKeys.AccessLog(workerIndexKey, count), entry.Encode());
        Span<byte> next = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(next, count + 1);
        state.Put(countKey, next);
    }

    public static ulong Count(IStateStore state, Hash32 workerIndexKey) =>
        state.Get(StateKeys.AccessLogCount(workerIndexKey)) is { Length: 8 } bytes ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : 0;

    /// <summary>The newest <see cref="MaxListed"/> accesses listed under the worker's index key, oldest first.</summary>
    public static IReadOnlyList<AccessLogEntry> List(IStateStore state, Hash32 workerIndexKey)
    {
        var count = Count(state, workerIndexKey);
        var first = count > MaxListed ? count - MaxListed : 0;
        var entries = new List<AccessLogEntry>((int)(count - first));
        for (var i = first; i < count; i++)
            if (state.Get(StateKeys.AccessLog(workerIndexKey, i)) is { } bytes) entries.Add(AccessLogEntry.Decode(bytes));
        return entries;
    }
}

using Ledger.Core;
using Ledger.Core.Crypto;
using Ledger.Core.Wire;

namespace Ledger.Chain.Execution;

/// <summary>
/// The state root a header carries: SM3(previous root ‖ SM3(the block's state changes)), the changes in
/// ascending key order, each as <c>{ key = 1, value = 2, deleted = 3 }</c>. It commits every node to the
/// same sequence of state transitions, at the cost of a hash over the block's writes only (not the whole
/// state). It proves agreement, not membership: evidence proofs rest on tx inclusion, not on state paths.
/// </summary>
public static class StateRoot
{
    public static Hash32 Next(IHasher hasher, Hash32 previous, IEnumerable<KeyValuePair<byte[], byte[]?>> sortedChanges)
    {
        var changes = new ProtoWriter(4096);
        foreach (var (key, value) in sortedChanges)
        {
            var entry = new ProtoWriter(key.Length + (value?.Length ?? 0) + 16);
            entry.WriteBytes(1, key);
            if (value is null) entry.WriteBool(3, true);
            else entry.WriteLengthDelimited(2, value);
            changes.WriteLengthDelimited(1, entry.WrittenSpan);
        }
        var changesHash = hasher.Hash(changes.WrittenSpan);
        Span<byte> both = stackalloc byte[2 * Hash32.Size];
        previous.CopyTo(both);
        changesHash.CopyTo(both[Hash32.Size..]);
        return hasher.Hash(both);
    }
}

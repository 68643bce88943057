using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Storage;

/// <summary>The last committed block: its height, hash and header.</summary>
public sealed record ChainHead(ulong Height, Hash32 Hash, BlockHeader Header);

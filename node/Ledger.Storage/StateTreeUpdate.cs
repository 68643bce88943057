using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// The state tree after a block's changes: its root, the root it was computed from, and the nodes the block adds
/// (by hash; stored with the block in one batch). Nodes are content-addressed and never removed, so the tree of
/// every earlier height stays readable from its header's state root.
/// </summary>
public sealed record StateTreeUpdate(Hash32 BaseRoot, Hash32 Root, IReadOnlyDictionary<Hash32, byte[]> Nodes);

using Ledger.Core;
using Ledger.Core.Anchoring;

namespace Ledger.Chain;

/// <summary>An external anchor the chain recorded: what it says, the ExternalAnchor tx that recorded it and that tx's block.</summary>
public sealed record ExternalAnchorView(ExternalAnchorPayload Anchor, Hash32 RecordTxId, ulong RecordHeight);

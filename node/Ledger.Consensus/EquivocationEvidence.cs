using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus;

/// <summary>
/// Two messages one validator signed for the same height, round and type that say different things: proof of a
/// Byzantine validator (or of two nodes sharing its key). Both are self-contained: anyone with its key can check them.
/// </summary>
public sealed record EquivocationEvidence(Hash32 Validator, ulong Height, uint Round, MessageType Type, SignedPayload First, SignedPayload Second);

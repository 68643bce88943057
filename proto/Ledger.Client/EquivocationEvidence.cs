using Ledger.Core;

namespace Ledger.Client;

/// <summary>
/// Two conflicting consensus messages one validator signed for the same height, round and type, as a node received
/// them: each encoded (payload, signer, SM2 signature), to be checked against the validator's certificate in genesis.
/// </summary>
public sealed record EquivocationEvidence(Hash32 Validator, ulong Height, uint Round, string Type, byte[] First, byte[] Second);

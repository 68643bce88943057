using Ledger.Core;

namespace Ledger.Network;

/// <summary>What this validator knows of one configured peer.</summary>
/// <param name="Name">The configured name.</param>
/// <param name="Address">The configured address.</param>
/// <param name="ValidatorId">Its certificate id, once a handshake with it succeeded.</param>
/// <param name="Connected">Our authenticated stream to it is up.</param>
/// <param name="LastSeen">When a frame from it last arrived on its authenticated stream to us.</param>
/// <param name="Height">The committed head it last reported.</param>
public sealed record PeerStatus(string Name, Uri Address, Hash32? ValidatorId, bool Connected, DateTimeOffset? LastSeen, ulong? Height);

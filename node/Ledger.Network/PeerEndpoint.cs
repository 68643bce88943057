namespace Ledger.Network;

/// <summary>A validator to dial: a name for logs and its PeerService address (http://host:port, HTTP/2).</summary>
public sealed record PeerEndpoint(string Name, Uri Address);

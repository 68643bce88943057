namespace Ledger.Node.Config;

/// <summary>Another validator: its name (as in genesis) and its gRPC address (http://host:port).</summary>
public sealed record PeerAddress(string Name, string Address);

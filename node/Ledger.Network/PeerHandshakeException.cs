namespace Ledger.Network;

/// <summary>A refused handshake (counted as an auth failure), as opposed to a transport failure.</summary>
internal sealed class PeerHandshakeException(string message) : Exception(message);

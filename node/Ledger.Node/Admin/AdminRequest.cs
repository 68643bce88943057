using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Crypto;

namespace Ledger.Node.Admin;

/// <summary>
/// An operator's request to a node's admin endpoint (<c>POST /admin/ACTION</c> on the HTTP port), signed with the
/// node's own validator key: only whoever holds that key — the bureau that runs the node — may trigger an admin action
/// on it, not another validator, not a client. The signed message names the action, the chain, the node, the time and
/// a nonce, so a captured request works for nothing else, on no other node, and only once, within a minute.
/// </summary>
public sealed record AdminRequest(string Action, string ChainId, string Node, long UnixMs, string Nonce)
{
    /// <summary>The signed message, base64 of its UTF-8 bytes.</summary>
    public const string RequestHeader = "Ledger-Admin-Request";

    /// <summary>The SM2 signature (DER, base64) of the message by the node's key.</summary>
    public const string SignatureHeader = "Ledger-Admin-Signature";

    private const string Magic = "ledger-admin-v1";

    public static AdminRequest Create(string action, string chainId, string node, DateTimeOffset now) =>
        new(action, chainId, node, now.ToUnixTimeMilliseconds(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    public byte[] SigningMessage() =>
        Encoding.UTF8.GetBytes(string.Join('\n', Magic, Action, ChainId, Node, UnixMs.ToString(CultureInfo.InvariantCulture), Nonce));

    /// <summary>The two header values: the message and the node key's signature over it.</summary>
    public (string Request, string Signature) Sign(Sm2PrivateKey key)
    {
        var message = SigningMessage();
        return (Convert.ToBase64String(message), Convert.ToBase64String(key.Sign(message)));
    }

    /// <summary>The request a header carries, or null when it is not one.</summary>
    public static AdminRequest? Parse(byte[] message)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(message);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var parts = text.Split('\n');
        if (parts.Length != 6 || parts[0] != Magic) return null;
        if (!long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs)) return null;
        if (parts[5].Length != 32 || !parts[5].All(char.IsAsciiHexDigitLower)) return null;
        return new AdminRequest(parts[1], parts[2], parts[3], unixMs, parts[5]);
    }
}

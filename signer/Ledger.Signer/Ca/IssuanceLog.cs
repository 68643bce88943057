using System.Globalization;
using System.Text;
using Ledger.Core;

namespace Ledger.Signer.Ca;

/// <summary>
/// The CA process's record of what it issued (issued.log, one line each, append-only, fsynced before the certificate is
/// answered): time, serial, role, holder key, and the authorising operator's certificate id and nonce. It is how the CA
/// refuses a replayed authorisation across restarts — an operator's nonce, or a holder key, a second time — and tells
/// the bureau who authorised each certificate. No ID number, name or pseudonym is written. Not thread-safe: the CA
/// serialises issuance.
/// </summary>
internal sealed class IssuanceLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly HashSet<string> _nonces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    private IssuanceLog(FileStream stream) => _stream = stream;

    public int Count => _keys.Count;

    public static IssuanceLog Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(path, options);
        var log = new IssuanceLog(stream);
        using (var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true))
        {
            var number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                var fields = line.Split('\t');
                if (fields.Length != 6)
                {
                    stream.Dispose();
                    throw new LedgerException(ErrorCode.StorageCorrupt, $"{path} line {number} is not an issuance record");
                }
                log._keys.Add(fields[3]);
                log._nonces.Add(fields[4] + ":" + fields[5]);
            }
        }
        stream.Seek(0, SeekOrigin.End);
        return log;
    }

    public bool KeyIssued(string publicKeyHex) => _keys.Contains(publicKeyHex);

    public bool NonceUsed(Hash32 operatorCertificate, ReadOnlySpan<byte> nonce) =>
        _nonces.Contains(operatorCertificate.ToHex() + ":" + Convert.ToHexStringLower(nonce));

    public void Append(DateTimeOffset at, string serialHex, string role, string publicKeyHex, Hash32 operatorCertificate, ReadOnlySpan<byte> nonce)
    {
        var nonceHex = Convert.ToHexStringLower(nonce);
        var line = string.Join('\t', at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), serialHex, role, publicKeyHex, operatorCertificate.ToHex(), nonceHex) + "\n";
        _stream.Write(Encoding.UTF8.GetBytes(line));
        _stream.Flush(flushToDisk: true);
        _keys.Add(publicKeyHex);
        _nonces.Add(operatorCertificate.ToHex() + ":" + nonceHex);
    }

    public void Dispose() => _stream.Dispose();
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Signer.Keys;

/// <summary>
/// One file per holder in <c>DATA/holders/&lt;holder id&gt;.holder</c>: the holder's key file (the foundation's
/// <see cref="KeyFile"/> format: PIN → PBKDF2-HMAC-SM3 → SM4-GCM) wrapped once more under the service's
/// key-encryption key (SM4-GCM; the holder id, kind and certificate are its additional data). Without the KEK a
/// stolen store gives no key check to run PIN guesses against, offline; with it, an attacker still needs the PIN.
/// Any change to a file — a flipped byte, a swapped certificate, a file copied under another holder's name — fails
/// the outer tag and is <see cref="ErrorCode.KeyStoreTampered"/>; so is damage inside the wrapped key file.
/// </summary>
public sealed class HolderKeyStore
{
    public const string Format = "ledger-signer-holder";
    public const int Version = 1;
    private const int MaxFileSize = 64 * 1024;

    private readonly string _directory;
    private readonly byte[] _kek;
    private readonly KeyFileOptions _kdf;

    public HolderKeyStore(string dataDirectory, byte[] kek, KeyFileOptions kdf)
    {
        ArgumentNullException.ThrowIfNull(kek);
        if (kek.Length != Sm4.KeySize) throw new LedgerException(ErrorCode.InvalidCryptoParameter, "the key-encryption key is 16 bytes");
        _directory = Path.Combine(dataDirectory, "holders");
        Directory.CreateDirectory(_directory);
        _kek = (byte[])kek.Clone();
        _kdf = kdf;
    }

    public string PathOf(string holderId) => Path.Combine(_directory, $"{RequireId(holderId)}.holder");

    public bool Exists(string holderId) => File.Exists(PathOf(holderId));

    /// <summary>Writes a new holder; refuses to overwrite one.</summary>
    public void Save(Holder holder, Sm2PrivateKey key, string pin)
    {
        var keyFile = KeyFile.Serialize(key, pin, _kdf);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(Sm4Gcm.NonceSize);
            var wrapped = Sm4Gcm.Encrypt(_kek, nonce, keyFile, Aad(holder.Id, holder.Kind, holder.Certificate.Der));
            var content = JsonSerializer.SerializeToUtf8Bytes(new HolderFile(Format, Version, holder.Id, KindName(holder.Kind),
                Convert.ToBase64String(holder.Certificate.Der), Convert.ToBase64String(nonce), Convert.ToBase64String(wrapped)));
            AtomicFile.WriteNew(PathOf(holder.Id), content);
        }
        finally
        {
            Array.Clear(keyFile);
        }
    }

    /// <summary>The holder without the PIN (certificate, kind). Unknown: <see cref="ErrorCode.HolderNotFound"/>; altered: <see cref="ErrorCode.KeyStoreTampered"/>.</summary>
    public Holder Get(string holderId) => Open(holderId, out _);

    /// <summary>Unwraps and decrypts the holder's key with the PIN. Wrong PIN: <see cref="ErrorCode.WrongPin"/>. The caller disposes the key.</summary>
    public Sm2PrivateKey Unlock(string holderId, string pin)
    {
        var holder = Open(holderId, out var keyFile);
        try
        {
            var key = KeyFile.Deserialize(keyFile, pin, _kdf);
            if (key.PublicKey != holder.Certificate.PublicKey)
            {
                key.Dispose();
                throw Tampered(holderId, "its key does not belong to its certificate");
            }
            return key;
        }
        catch (LedgerException e) when (e.Code == ErrorCode.WrongPassphrase)
        {
            throw new LedgerException(ErrorCode.WrongPin, "wrong PIN");
        }
        catch (LedgerException e) when (e.Code is ErrorCode.CorruptKeyFile or ErrorCode.WeakKeyFileProtection)
        {
            throw Tampered(holderId, e.Message);
        }
        finally
        {
            Array.Clear(keyFile);
        }
    }

    private Holder Open(string holderId, out byte[] keyFile)
    {
        var path = PathOf(holderId);
        if (!File.Exists(path)) throw new LedgerException(ErrorCode.HolderNotFound, $"no holder {holderId}");
        var content = File.ReadAllBytes(path);
        if (content.Length > MaxFileSize) throw Tampered(holderId, "the file is far too large");
        HolderFile? file;
        try
        {
            file = JsonSerializer.Deserialize<HolderFile>(content, new JsonSerializerOptions { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow });
        }
        catch (JsonException)
        {
            throw Tampered(holderId, "it is not valid JSON");
        }
        if (file is null || file.format != Format || file.version != Version || file.holderId != holderId)
            throw Tampered(holderId, "its header does not name this holder");
        HolderKind kind = file.kind switch
        {
            "person" => HolderKind.Person,
            "organisation" => HolderKind.Organisation,
            _ => throw Tampered(holderId, "unknown holder kind"),
        };
        byte[] der, nonce, wrapped;
        try
        {
            der = Convert.FromBase64String(file.certificate ?? "");
            nonce = Convert.FromBase64String(file.nonce ?? "");
            wrapped = Convert.FromBase64String(file.wrapped ?? "");
        }
        catch (FormatException)
        {
            throw Tampered(holderId, "a field is not base64");
        }
        if (nonce.Length != Sm4Gcm.NonceSize) throw Tampered(holderId, "the nonce is not 12 bytes");
        try
        {
            keyFile = Sm4Gcm.Decrypt(_kek, nonce, wrapped, Aad(holderId, kind, der));
        }
        catch (LedgerException)
        {
            throw Tampered(holderId, "the wrapped key does not authenticate under the service key");
        }
        LedgerCertificate certificate;
        try
        {
            certificate = LedgerCertificate.FromDer(der);
        }
        catch (LedgerException e)
        {
            Array.Clear(keyFile);
            throw Tampered(holderId, e.Message);
        }
        return new Holder(holderId, kind, certificate);
    }

    private static byte[] Aad(string holderId, HolderKind kind, byte[] certificateDer) =>
        Encoding.UTF8.GetBytes($"{Format}\n{Version}\n{holderId}\n{KindName(kind)}\n{Convert.ToBase64String(certificateDer)}");

    private static string KindName(HolderKind kind) => kind == HolderKind.Person ? "person" : "organisation";

    private static LedgerException Tampered(string holderId, string why) =>
        new(ErrorCode.KeyStoreTampered, $"the key store file of holder {holderId} was altered or damaged: {why}");

    /// <summary>A holder id is 64 lowercase hex digits (SM3 of the public key): nothing else reaches a file name.</summary>
    public static string RequireId(string holderId)
    {
        if (holderId is not { Length: 64 } || !holderId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "a holder id is 64 lowercase hex digits");
        return holderId;
    }

#pragma warning disable IDE1006, CA1707 // the JSON field names of the file format
    private sealed record HolderFile(string format, int version, string holderId, string kind, string? certificate, string? nonce, string? wrapped);
#pragma warning restore IDE1006, CA1707
}

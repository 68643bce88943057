using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Core;

namespace Ledger.Crypto;

/// <summary>
/// An SM2 private key encrypted under a passphrase, as a small JSON document (format "ledger-sm2-key",
/// version 1):
/// <code>
/// publicKey   hex 04||X||Y, in clear so `ledger key show` needs no passphrase
/// kdf         "pbkdf2-hmac-sm3", iterations, salt (16 random bytes, base64)
/// cipher      "sm4-gcm", nonce (12 random bytes, base64)
/// keyCheck    8 bytes (base64) derived from the KDF output, not from the encryption key
/// ciphertext  SM4-GCM(d) with tag (48 bytes, base64); the header above is its AAD
/// checksum    first 8 bytes of SM3 over all of the above (hex): catches accidental damage
/// </code>
/// How failures are told apart: a damaged structure or a checksum mismatch is <see cref="ErrorCode.CorruptKeyFile"/>;
/// a key check that does not match the passphrase is <see cref="ErrorCode.WrongPassphrase"/>; a matching key check
/// with a failing GCM tag means the passphrase is right but the file was altered (and its checksum recomputed):
/// <see cref="ErrorCode.CorruptKeyFile"/>. Someone who deliberately alters salt, iterations or the key check and
/// recomputes the checksum makes the file look like a wrong passphrase; they still cannot make it decrypt.
/// The key check lets an attacker test passphrase guesses exactly as fast as the GCM tag already does: it
/// costs nothing in strength.
/// </summary>
public static class KeyFile
{
    public const string Format = "ledger-sm2-key";
    public const int Version = 1;
    public const string Kdf = "pbkdf2-hmac-sm3";
    public const string Cipher = "sm4-gcm";

    private const int SaltSize = 16;
    private const int KeyCheckSize = 8;
    private const int ChecksumSize = 8;
    private const int MaxFileSize = 16 * 1024;
    private static readonly string[] Fields = ["format", "version", "publicKey", "kdf", "iterations", "salt", "cipher", "nonce", "keyCheck", "ciphertext", "checksum"];

    /// <summary>Writes a new key file with owner-only permissions (0600 on Unix). Refuses to overwrite an existing file.</summary>
    public static void Save(string path, Sm2PrivateKey key, string passphrase, KeyFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var content = Serialize(key, passphrase, options);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, fileOptions))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException e)
        {
            File.Delete(temporary);
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, File.Exists(path)
                ? $"key file '{path}' already exists; refusing to overwrite a key"
                : $"cannot write key file '{path}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, $"cannot write key file '{path}': {e.Message}", e);
        }
    }

    public static Sm2PrivateKey Load(string path, string passphrase, KeyFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] content;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileSize)
                throw new LedgerException(ErrorCode.CorruptKeyFile, $"key file '{path}' is {info.Length} bytes, far larger than a key file");
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException(ErrorCode.CorruptKeyFile, $"cannot read key file '{path}': {e.Message}", e);
        }
        return Deserialize(content, passphrase, options);
    }

    /// <summary>The public key of a key file, without the passphrase (the file's checksum is still checked).</summary>
    public static Sm2PublicKey ReadPublicKey(byte[] content) => Parse(content).PublicKey;

    public static byte[] Serialize(Sm2PrivateKey key, string passphrase, KeyFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(passphrase);
        options ??= new KeyFileOptions();
        CheckIterations(options.Iterations, options, ErrorCode.WeakKeyFileProtection);
        if (passphrase.Length == 0)
            throw new LedgerException(ErrorCode.WeakKeyFileProtection, "a key file needs a non-empty passphrase");

        var header = new Header(key.PublicKey, options.Iterations, RandomNumberGenerator.GetBytes(SaltSize), RandomNumberGenerator.GetBytes(Sm4Gcm.NonceSize));
        var (encryptionKey, keyCheck) = DeriveKeys(passphrase, header.Salt, header.Iterations);
        var scalar = key.ExportScalar();
        try
        {
            var ciphertext = Sm4Gcm.Encrypt(encryptionKey, header.Nonce, scalar, header.Aad());
            return Write(header, keyCheck, ciphertext);
        }
        finally
        {
            Array.Clear(encryptionKey);
            Array.Clear(scalar);
        }
    }

    public static Sm2PrivateKey Deserialize(byte[] content, string passphrase, KeyFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        var file = Parse(content);
        CheckIterations(file.Header.Iterations, options ?? new KeyFileOptions(), ErrorCode.WeakKeyFileProtection);

        var (encryptionKey, keyCheck) = DeriveKeys(passphrase, file.Header.Salt, file.Header.Iterations);
        byte[]? scalar = null;
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(keyCheck, file.KeyCheck))
                throw new LedgerException(ErrorCode.WrongPassphrase, "wrong passphrase for this key file");
            try
            {
                scalar = Sm4Gcm.Decrypt(encryptionKey, file.Header.Nonce, file.Ciphertext, file.Header.Aad());
            }
            catch (LedgerException e) when (e.Code == ErrorCode.DecryptionFailed)
            {
                throw new LedgerException(ErrorCode.CorruptKeyFile, "key file was altered: the passphrase is right but the encrypted key does not authenticate", e);
            }
            Sm2PrivateKey key;
            try
            {
                key = Sm2PrivateKey.FromScalar(scalar);
            }
            catch (LedgerException e)
            {
                throw new LedgerException(ErrorCode.CorruptKeyFile, "key file holds an invalid SM2 private key", e);
            }
            if (key.PublicKey != file.Header.PublicKey)
            {
                key.Dispose();
                throw new LedgerException(ErrorCode.CorruptKeyFile, "key file's public key does not match its private key");
            }
            return key;
        }
        finally
        {
            Array.Clear(encryptionKey);
            if (scalar is not null) Array.Clear(scalar);
        }
    }

    private static void CheckIterations(int iterations, KeyFileOptions options, ErrorCode code)
    {
        if (iterations is < 1 or > KeyFileOptions.MaximumIterations)
            throw new LedgerException(code, $"PBKDF2 iteration count {iterations} is outside 1..{KeyFileOptions.MaximumIterations}");
        if (iterations < KeyFileOptions.MinimumIterations && !options.AllowWeakIterations)
            throw new LedgerException(code, $"PBKDF2 iteration count {iterations} is below the minimum of {KeyFileOptions.MinimumIterations} (only test options allow fewer)");
    }

    /// <summary>32 bytes of PBKDF2: the first 16 are the SM4 key, the last 16 only feed the key check.</summary>
    private static (byte[] EncryptionKey, byte[] KeyCheck) DeriveKeys(string passphrase, byte[] salt, int iterations)
    {
        var password = Encoding.UTF8.GetBytes(passphrase);
        var master = Pbkdf2Sm3.DeriveKey(password, salt, iterations, 32);
        try
        {
            var encryptionKey = master[..Sm4.KeySize];
            var check = HmacSm3.Compute(master.AsSpan(Sm4.KeySize), "ledger key file check v1"u8);
            return (encryptionKey, check[..KeyCheckSize]);
        }
        finally
        {
            Array.Clear(password);
            Array.Clear(master);
        }
    }

    private sealed record Header(Sm2PublicKey PublicKey, int Iterations, byte[] Salt, byte[] Nonce)
    {
        public string PublicKeyHex => Convert.ToHexStringLower(PublicKey.Bytes);

        /// <summary>The header as GCM additional data: every field that is not secret, in a fixed order.</summary>
        public byte[] Aad() => Encoding.UTF8.GetBytes(
            $"{Format}\n{Version}\n{PublicKeyHex}\n{Kdf}\n{Iterations}\n{Convert.ToBase64String(Salt)}\n{Cipher}\n{Convert.ToBase64String(Nonce)}");
    }

    private sealed record Parsed(Header Header, byte[] KeyCheck, byte[] Ciphertext)
    {
        public Sm2PublicKey PublicKey => Header.PublicKey;
    }

    private static string Checksum(Header header, byte[] keyCheck, byte[] ciphertext)
    {
        var body = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetString(header.Aad())}\n{Convert.ToBase64String(keyCheck)}\n{Convert.ToBase64String(ciphertext)}");
        return Convert.ToHexStringLower(Sm3.Hash(body).ToArray().AsSpan(0, ChecksumSize));
    }

    private static byte[] Write(Header header, byte[] keyCheck, byte[] ciphertext)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("publicKey", header.PublicKeyHex);
            json.WriteString("kdf", Kdf);
            json.WriteNumber("iterations", header.Iterations);
            json.WriteString("salt", Convert.ToBase64String(header.Salt));
            json.WriteString("cipher", Cipher);
            json.WriteString("nonce", Convert.ToBase64String(header.Nonce));
            json.WriteString("keyCheck", Convert.ToBase64String(keyCheck));
            json.WriteString("ciphertext", Convert.ToBase64String(ciphertext));
            json.WriteString("checksum", Checksum(header, keyCheck, ciphertext));
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static Parsed Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length > MaxFileSize)
            throw Corrupt($"it is {content.Length} bytes, far larger than a key file");
        Dictionary<string, JsonElement> fields;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 4 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Corrupt("it is not valid JSON (truncated or damaged)");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Corrupt("its top level is not a JSON object");
            fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Array.IndexOf(Fields, property.Name) < 0)
                    throw Corrupt($"unknown field '{property.Name}'");
                if (!fields.TryAdd(property.Name, property.Value.Clone()))
                    throw Corrupt($"field '{property.Name}' appears twice");
            }
        }
        foreach (var name in Fields)
            if (!fields.ContainsKey(name))
                throw Corrupt($"field '{name}' is missing");

        if (String(fields, "format") != Format)
            throw Corrupt($"format is not '{Format}'");
        var version = Integer(fields, "version");
        if (version != Version)
            throw Corrupt($"version {version} is not supported (this build reads version {Version})");
        if (String(fields, "kdf") != Kdf)
            throw Corrupt($"key derivation '{String(fields, "kdf")}' is not supported");
        if (String(fields, "cipher") != Cipher)
            throw Corrupt($"cipher '{String(fields, "cipher")}' is not supported");

        var publicKeyHex = String(fields, "publicKey");
        if (publicKeyHex.Length != 2 * Sm2.PublicKeySize || publicKeyHex.Any(c => !char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)))
            throw Corrupt("publicKey is not 130 lowercase hex digits");
        if (!Sm2PublicKey.TryFromBytes(Convert.FromHexString(publicKeyHex), out var publicKey, out var keyError))
            throw Corrupt($"publicKey is invalid: {keyError.Reason}");

        var header = new Header(publicKey!, Integer(fields, "iterations"), Base64(fields, "salt", SaltSize), Base64(fields, "nonce", Sm4Gcm.NonceSize));
        var keyCheck = Base64(fields, "keyCheck", KeyCheckSize);
        var ciphertext = Base64(fields, "ciphertext", Sm2.PrivateKeySize + Sm4Gcm.TagSize);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(String(fields, "checksum")), Encoding.ASCII.GetBytes(Checksum(header, keyCheck, ciphertext))))
            throw Corrupt("its checksum does not match (the file is damaged)");
        return new Parsed(header, keyCheck, ciphertext);
    }

    private static LedgerException Corrupt(string why) => new(ErrorCode.CorruptKeyFile, $"key file is corrupt: {why}");

    /// <summary>A string field, written without escapes: every value in the format is plain ASCII, so an escape can only be an alteration.</summary>
    private static string String(Dictionary<string, JsonElement> fields, string name)
    {
        var element = fields[name];
        if (element.ValueKind != JsonValueKind.String)
            throw Corrupt($"field '{name}' is not a string");
        var value = element.GetString()!;
        if (element.GetRawText() != $"\"{value}\"")
            throw Corrupt($"field '{name}' contains escape sequences");
        return value;
    }

    private static int Integer(Dictionary<string, JsonElement> fields, string name)
    {
        var element = fields[name];
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value) || element.GetRawText() != value.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw Corrupt($"field '{name}' is not a plain integer");
        return value;
    }

    /// <summary>Strict base64: exactly <paramref name="length"/> bytes and the one canonical text for them.</summary>
    private static byte[] Base64(Dictionary<string, JsonElement> fields, string name, int length)
    {
        var text = String(fields, name);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Corrupt($"field '{name}' is not base64");
        }
        if (bytes.Length != length || Convert.ToBase64String(bytes) != text)
            throw Corrupt($"field '{name}' is not the canonical base64 of {length} bytes");
        return bytes;
    }
}

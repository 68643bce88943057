using System.Text;
using System.Text.Json;
using Ledger.Core;

namespace Ledger.Crypto.Tests;

public class KeyFileTests
{
    private const string Passphrase = "correct horse battery staple";
    private Sm2PrivateKey _key = null!;
    private byte[] _content = null!;

    [SetUp]
    public void SetUp()
    {
        _key = Sm2PrivateKey.Generate();
        _content = KeyFile.Serialize(_key, Passphrase, KeyFileOptions.ForTests);
    }

    [TearDown]
    public void TearDown() => _key.Dispose();

    [Test]
    public void Round_trips_and_the_loaded_key_signs_for_the_same_public_key()
    {
        using var loaded = KeyFile.Deserialize(_content, Passphrase, KeyFileOptions.ForTests);
        Assert.That(loaded.PublicKey, Is.EqualTo(_key.PublicKey));
        Assert.That(_key.PublicKey.Verify("x"u8, loaded.Sign("x"u8)), Is.True);
    }

    [Test]
    public void Is_human_readable_json_with_the_public_key_in_clear()
    {
        using var document = JsonDocument.Parse(_content);
        var root = document.RootElement;
        Assert.That(root.GetProperty("format").GetString(), Is.EqualTo("ledger-sm2-key"));
        Assert.That(root.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("kdf").GetString(), Is.EqualTo("pbkdf2-hmac-sm3"));
        Assert.That(root.GetProperty("cipher").GetString(), Is.EqualTo("sm4-gcm"));
        Assert.That(root.GetProperty("iterations").GetInt32(), Is.EqualTo(KeyFileOptions.TestIterations));
        Assert.That(Convert.FromBase64String(root.GetProperty("salt").GetString()!), Has.Length.EqualTo(16));
        Assert.That(root.GetProperty("publicKey").GetString(), Is.EqualTo(_key.PublicKey.ToString()));
        Assert.That(KeyFile.ReadPublicKey(_content), Is.EqualTo(_key.PublicKey));
        var scalarHex = Hex.Of(_key.ExportScalar());
        Assert.That(Encoding.UTF8.GetString(_content), Does.Not.Contain(scalarHex));
    }

    [Test]
    public void Two_files_of_one_key_differ_in_salt_and_nonce()
    {
        var again = KeyFile.Serialize(_key, Passphrase, KeyFileOptions.ForTests);
        Assert.That(again, Is.Not.EqualTo(_content));
    }

    [Test]
    public void Wrong_passphrase_is_reported_as_such()
    {
        var e = Assert.Throws<LedgerException>(() => KeyFile.Deserialize(_content, Passphrase + "!", KeyFileOptions.ForTests));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.WrongPassphrase));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Any_flipped_byte_anywhere_in_the_file_is_a_ledger_exception()
    {
        var codes = new HashSet<ErrorCode>();
        for (var i = 0; i < _content.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x20 })
            {
                var damaged = (byte[])_content.Clone();
                damaged[i] ^= mask;
                try
                {
                    using var key = KeyFile.Deserialize(damaged, Passphrase, KeyFileOptions.ForTests);
                    // A flip that leaves the document meaning the same thing (JSON whitespace, the final newline) may load, but only to the same key.
                    Assert.That(key.PublicKey, Is.EqualTo(_key.PublicKey), $"byte {i} mask {mask:x2} loaded a different key");
                    Assert.That((char)_content[i], Is.AnyOf(' ', '\n', '\t', '\r'), $"byte {i} ('{(char)_content[i]}') flipped with {mask:x2} was accepted");
                }
                catch (LedgerException e)
                {
                    codes.Add(e.Code);
                    Assert.That(e.Code, Is.AnyOf(ErrorCode.CorruptKeyFile, ErrorCode.WrongPassphrase, ErrorCode.WeakKeyFileProtection), $"byte {i}");
                }
            }
        }
        Assert.That(codes, Does.Contain(ErrorCode.CorruptKeyFile));
    }

    [TestCase("publicKey")]
    [TestCase("iterations")]
    [TestCase("salt")]
    [TestCase("nonce")]
    [TestCase("keyCheck")]
    [TestCase("ciphertext")]
    [TestCase("checksum")]
    [TestCase("version")]
    [TestCase("kdf")]
    [TestCase("cipher")]
    [TestCase("format")]
    public void Changing_a_field_is_detected(string field)
    {
        var fields = Fields(_content);
        fields[field] = field switch
        {
            "iterations" => 1001,
            "version" => 2,
            "publicKey" => Sm2PrivateKey.Generate().PublicKey.ToString(),
            "salt" => Convert.ToBase64String(new byte[16]),
            "nonce" => Convert.ToBase64String(new byte[12]),
            "keyCheck" => Convert.ToBase64String(new byte[8]),
            "ciphertext" => Convert.ToBase64String(new byte[48]),
            "checksum" => "0000000000000000",
            _ => "something-else",
        };
        var e = Assert.Throws<LedgerException>(() => KeyFile.Deserialize(Json(fields), Passphrase, KeyFileOptions.ForTests));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.CorruptKeyFile), e.Message);
        Assert.That(e.Message, Does.Not.Contain("escape"));
    }

    [Test]
    public void Unchanged_fields_rewritten_by_another_json_writer_still_load()
    {
        using var key = KeyFile.Deserialize(Json(Fields(_content)), Passphrase, KeyFileOptions.ForTests);
        Assert.That(key.PublicKey, Is.EqualTo(_key.PublicKey));
    }

    [Test]
    public void Altered_ciphertext_with_a_recomputed_checksum_is_tampering_not_a_wrong_passphrase()
    {
        // Tamper with the ciphertext and fix up the checksum as an attacker would: the right passphrase still detects it.
        var fields = Fields(_content);
        var ciphertext = Convert.FromBase64String((string)fields["ciphertext"]);
        ciphertext[5] ^= 0x01;
        fields["ciphertext"] = Convert.ToBase64String(ciphertext);
        fields["checksum"] = RecomputeChecksum(fields);
        var e = Assert.Throws<LedgerException>(() => KeyFile.Deserialize(Json(fields), Passphrase, KeyFileOptions.ForTests));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.CorruptKeyFile));
        Assert.That(e.Message, Does.Contain("altered"));
    }

    [Test]
    public void Swapped_public_key_with_a_recomputed_checksum_fails_authentication()
    {
        using var other = Sm2PrivateKey.Generate();
        var fields = Fields(_content);
        fields["publicKey"] = other.PublicKey.ToString();
        fields["checksum"] = RecomputeChecksum(fields);
        var e = Assert.Throws<LedgerException>(() => KeyFile.Deserialize(Json(fields), Passphrase, KeyFileOptions.ForTests));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.CorruptKeyFile));
    }

    [Test]
    public void Every_truncation_is_corrupt()
    {
        for (var length = 0; length < _content.Length - 1; length++)
        {
            var e = Assert.Throws<LedgerException>(() => KeyFile.Deserialize(_content[..length], Passphrase, KeyFileOptions.ForTests), $"length {length}");
            Assert.That(e!.Code, Is.EqualTo(ErrorCode.CorruptKeyFile), $"length {length}");
        }
    }

    [Test]
    public void Refuses_to_write_fewer_than_600000_iterations_without_the_test_option()
    {
        var e = Assert.Throws<LedgerException>(() => KeyFile.Serialize(_key, Passphrase, new KeyFileOptions(599_999)));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.WeakKeyFileProtection));
        Assert.That(Assert.Throws<LedgerException>(() => KeyFile.Serialize(_key, Passphrase, new KeyFileOptions(1_000)))!.Code, Is.EqualTo(ErrorCode.WeakKeyFileProtection));
        Assert.That(Assert.Throws<LedgerException>(() => KeyFile.Serialize(_key, Passphrase, new KeyFileOptions(0) { AllowWeakIterations = true }))!.Code, Is.EqualTo(ErrorCode.WeakKeyFileProtection));
        Assert.That(Assert.Throws<LedgerException>(() => KeyFile.Serialize(_key, "", KeyFileOptions.ForTests))!.Code, Is.EqualTo(ErrorCode.WeakKeyFileProtection));
    }

    [Test]
    public void Refuses_to_read_a_weak_file_without_the_test_option()
    {
        var e = Assert.Throws<LedgerException>(() => KeyFile.Deserialize(_content, Passphrase));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.WeakKeyFileProtection));
    }

    [Test]
    [Category("Slow")]
    public void Default_options_use_600000_iterations_and_load_without_options()
    {
        var content = KeyFile.Serialize(_key, Passphrase);
        Assert.That(Fields(content)["iterations"], Is.EqualTo(600_000));
        using var loaded = KeyFile.Deserialize(content, Passphrase);
        Assert.That(loaded.PublicKey, Is.EqualTo(_key.PublicKey));
    }

    [Test]
    public void Save_writes_owner_only_file_and_refuses_to_overwrite()
    {
        var directory = Directory.CreateTempSubdirectory("ledger-keyfile-");
        try
        {
            var path = Path.Combine(directory.FullName, "node.key");
            KeyFile.Save(path, _key, Passphrase, KeyFileOptions.ForTests);
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            using (var loaded = KeyFile.Load(path, Passphrase, KeyFileOptions.ForTests))
                Assert.That(loaded.PublicKey, Is.EqualTo(_key.PublicKey));
            var e = Assert.Throws<LedgerException>(() => KeyFile.Save(path, _key, Passphrase, KeyFileOptions.ForTests));
            Assert.That(e!.Message, Does.Contain("exists"));
            Assert.That(Directory.GetFiles(directory.FullName), Has.Length.EqualTo(1), "no temporary file left behind");
            Assert.That(Assert.Throws<LedgerException>(() => KeyFile.Load(path + ".missing", Passphrase))!.Code, Is.EqualTo(ErrorCode.CorruptKeyFile));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Dictionary<string, object> Fields(byte[] content)
    {
        using var document = JsonDocument.Parse(content);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.Number ? (object)p.Value.GetInt32() : p.Value.GetString()!);
    }

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Json(Dictionary<string, object> fields) => JsonSerializer.SerializeToUtf8Bytes(fields, Unescaped);

    /// <summary>The documented checksum: first 8 bytes of SM3 over the header lines, key check and ciphertext.</summary>
    private static string RecomputeChecksum(Dictionary<string, object> f)
    {
        var text = $"{f["format"]}\n{f["version"]}\n{f["publicKey"]}\n{f["kdf"]}\n{f["iterations"]}\n{f["salt"]}\n{f["cipher"]}\n{f["nonce"]}\n{f["keyCheck"]}\n{f["ciphertext"]}";
        return Hex.Of(Sm3.Hash(Encoding.UTF8.GetBytes(text)).ToArray()[..8]);
    }
}

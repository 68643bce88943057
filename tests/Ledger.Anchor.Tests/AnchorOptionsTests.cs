using Ledger.Core;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Anchor.Tests;

public class AnchorOptionsTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("ledger-anchor-config-");

    [TearDown]
    public void RemoveDirectory() => _dir.Delete(recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_dir.FullName, "anchor.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Valid = """
        { "node": "https://127.0.0.1:7600", "transportCa": "transport-ca.pem", "rpc": "http://127.0.0.1:8545", "evmChainId": 1337,
          "contract": "0x5b1869D9A4C187F2EAa108f3062412ecf0526b24", "keyFile": "anchor.key", "passphraseEnv": "ANCHOR_PASS",
          "stateFile": "state/anchor.json", "confirmations": 3 }
        """;

    [Test]
    public void Reads_a_config_with_paths_relative_to_its_folder()
    {
        var options = AnchorOptions.Load(Write(Valid));
        Assert.That(options.Confirmations, Is.EqualTo(3));
        Assert.That(options.KeyFile, Is.EqualTo(Path.Combine(_dir.FullName, "anchor.key")));
        Assert.That(options.StateFile, Is.EqualTo(Path.Combine(_dir.FullName, "state", "anchor.json")));
        Assert.That(options.TransportCa, Is.EqualTo(Path.Combine(_dir.FullName, "transport-ca.pem")));
    }

    [TestCase("\"confirmations\": 3", "\"confirmations\": 0", "confirmations")]
    [TestCase("0x5b1869D9A4C187F2EAa108f3062412ecf0526b24", "0x5b18", "contract")]
    [TestCase("https://127.0.0.1:7600", "http://127.0.0.1:7600", "plaintext")]
    [TestCase("\"passphraseEnv\": \"ANCHOR_PASS\",", "", "passphrase")]
    [TestCase("\"confirmations\": 3", "\"confirmations\": 3, \"evry\": 5", "evry")]
    [TestCase("\"confirmations\": 3", "\"confirmations\": \"three\"", "confirmations")]
    [TestCase("\"confirmations\": 3", "\"confirmations\": 3, \"every\": 10", "anchor.intervalBlocks")]
    public void Refuses_a_bad_config_with_one_typed_error(string from, string to, string named)
    {
        var e = Assert.Throws<LedgerException>(() => AnchorOptions.Load(Write(Valid.Replace(from, to, StringComparison.Ordinal))));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(e.Message, Does.Contain(named));
    }

    [Test]
    public void Allows_plaintext_only_when_insecure_is_asked_for()
    {
        var options = AnchorOptions.Load(Write(Valid.Replace("https://127.0.0.1:7600\"", "http://127.0.0.1:7600\", \"insecure\": true", StringComparison.Ordinal)));
        Assert.That(options.Insecure, Is.True);
    }

    private string WithRecorder(Ledger.Core.Identity.Role role)
    {
        var network = TestNetwork.Create(validators: 1);
        var identity = role == Ledger.Core.Identity.Role.Employer
            ? network.Employer
            : network.Issue("Guangzhou HRSS Bureau", role);
        KeyFile.Save(Path.Combine(_dir.FullName, "recorder.key"), identity.Key, "pass", KeyFileOptions.ForTests);
        File.WriteAllText(Path.Combine(_dir.FullName, "recorder.pem"), identity.Certificate.ToPem());
        File.WriteAllText(Path.Combine(_dir.FullName, "recorder-pass"), "pass\n");
        return Write(Valid.Replace("\"confirmations\": 3", "\"confirmations\": 3, \"recorderKeyFile\": \"recorder.key\", \"recorderCertificate\": \"recorder.pem\", " +
            "\"recorderPassphraseFile\": \"recorder-pass\", \"recorderAllowWeakKdf\": true", StringComparison.Ordinal));
    }

    [Test]
    public void A_bureau_certificate_records_anchors()
    {
        var recorder = AnchorOptions.Load(WithRecorder(Ledger.Core.Identity.Role.Bureau)).LoadRecorder();
        Assert.That(recorder, Is.Not.Null);
        Assert.That(recorder!.Value.Certificate.Role, Is.EqualTo(Ledger.Core.Identity.Role.Bureau));
    }

    [Test]
    public void Refuses_a_recorder_that_is_not_a_bureau()
    {
        var options = AnchorOptions.Load(WithRecorder(Ledger.Core.Identity.Role.Employer));
        var e = Assert.Throws<LedgerException>(() => options.LoadRecorder());
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.WrongCertificateRole));
    }

    [Test]
    public void Without_a_recorder_nothing_is_recorded()
    {
        Assert.That(AnchorOptions.Load(Write(Valid)).LoadRecorder(), Is.Null);
    }
}

using Ledger.TestKit;

namespace Ledger.Cli.Tests.Commands;

[Category("Interop")]
public class FileCommandTests
{
    private DirectoryInfo _dir = null!;
    private readonly CliHarness _cli = new CliHarness().Set("PASS", "correct horse battery staple");

    [SetUp]
    public void SetUp()
    {
        OpenSsl.Require();
        _dir = Directory.CreateTempSubdirectory("ledger-cli-");
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private string NewKey(string name = "k.key")
    {
        var (exit, _, error) = _cli.Run("key", "new", "--out", PathOf(name), "--passphrase-env", "PASS", "--kdf-iterations", "1000");
        Assert.That(exit, Is.Zero, error);
        return PathOf(name);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(55)]
    [TestCase(64)]
    [TestCase(1 << 20)]
    public void Hash_equals_openssl_dgst_sm3(int size)
    {
        var file = PathOf("doc.bin");
        File.WriteAllBytes(file, new RandomFormats(size).Bytes(size));
        var (exit, output, _) = _cli.Run("hash", file);
        var openssl = OpenSsl.Run(_dir.FullName, "dgst", "-sm3", "-r", file);
        Assert.That(exit, Is.Zero);
        Assert.That(openssl.ExitCode, Is.Zero, openssl.StdErr);
        Assert.That(output.Trim(), Is.EqualTo(openssl.StdOut.Split(' ')[0]));
    }

    [Test]
    public void A_ledger_signature_verifies_under_openssl_and_fails_on_a_changed_file()
    {
        var key = NewKey();
        var file = PathOf("contract.pdf");
        File.WriteAllBytes(file, new RandomFormats(3).Bytes(5000));
        Assert.That(_cli.Run("sign", "--key", key, "--in", file, "--out", PathOf("sig.der"), "--passphrase-env", "PASS", "--allow-weak-kdf").Exit, Is.Zero);
        var (exit, pem, _) = _cli.Run("key", "show", key, "--pem");
        Assert.That(exit, Is.Zero);
        File.WriteAllText(PathOf("pub.pem"), pem);

        string[] verify = ["pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3", "-in", "contract.pdf", "-sigfile", "sig.der", "-pkeyopt", "distid:1234567812345678"];
        var good = OpenSsl.Run(_dir.FullName, verify);
        Assert.That(good.ExitCode, Is.Zero, good.StdOut + good.StdErr);

        var bytes = File.ReadAllBytes(file);
        bytes[1234] ^= 1;
        File.WriteAllBytes(file, bytes);
        Assert.That(OpenSsl.Run(_dir.FullName, verify).ExitCode, Is.Not.Zero);
    }

    [Test]
    public void An_openssl_signature_verifies_under_ledger_and_a_changed_file_exits_1()
    {
        Assert.That(OpenSsl.Run(_dir.FullName, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", "os.key").ExitCode, Is.Zero);
        Assert.That(OpenSsl.Run(_dir.FullName, "pkey", "-in", "os.key", "-pubout", "-out", "os.pub").ExitCode, Is.Zero);
        var file = PathOf("contract.ofd");
        File.WriteAllBytes(file, new RandomFormats(4).Bytes(3000));
        var sign = OpenSsl.Run(_dir.FullName, "pkeyutl", "-sign", "-inkey", "os.key", "-rawin", "-digest", "sm3", "-in", "contract.ofd", "-out", "os.sig", "-pkeyopt", "distid:1234567812345678");
        Assert.That(sign.ExitCode, Is.Zero, sign.StdErr);

        var (exit, output, error) = _cli.Run("verify-signature", "--pub", PathOf("os.pub"), "--in", file, "--sig", PathOf("os.sig"));
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("valid"));

        var (wrongId, _, _) = _cli.Run("verify-signature", "--pub", PathOf("os.pub"), "--in", file, "--sig", PathOf("os.sig"), "--id", "ALICE123@YAHOO.COM");
        Assert.That(wrongId, Is.EqualTo(1));

        File.AppendAllText(file, "x");
        var (changed, _, changedError) = _cli.Run("verify-signature", "--pub", PathOf("os.pub"), "--in", file, "--sig", PathOf("os.sig"));
        Assert.That(changed, Is.EqualTo(1));
        Assert.That(changedError.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_custom_signer_id_round_trips_with_openssl()
    {
        var key = NewKey();
        var file = PathOf("m.txt");
        File.WriteAllText(file, "劳动合同");
        Assert.That(_cli.Run("sign", "--key", key, "--in", file, "--out", PathOf("s.der"), "--id", "worker@440100", "--passphrase-env", "PASS", "--allow-weak-kdf").Exit, Is.Zero);
        File.WriteAllText(PathOf("pub.pem"), _cli.Run("key", "show", key, "--pem").Out);
        var ok = OpenSsl.Run(_dir.FullName, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3", "-in", "m.txt", "-sigfile", "s.der", "-pkeyopt", "distid:worker@440100");
        Assert.That(ok.ExitCode, Is.Zero, ok.StdOut + ok.StdErr);
        var wrong = OpenSsl.Run(_dir.FullName, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3", "-in", "m.txt", "-sigfile", "s.der", "-pkeyopt", "distid:1234567812345678");
        Assert.That(wrong.ExitCode, Is.Not.Zero);
    }

    [Test]
    public void Wrong_passphrase_is_one_line_and_exit_2()
    {
        var key = NewKey();
        var file = PathOf("m.txt");
        File.WriteAllText(file, "x");
        var cli = new CliHarness().Set("PASS", "not the passphrase");
        var (exit, _, error) = cli.Run("sign", "--key", key, "--in", file, "--out", PathOf("s.der"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("passphrase"));
        Assert.That(File.Exists(PathOf("s.der")), Is.False);
    }

    [Test]
    public void A_weak_key_file_is_refused_unless_asked_for()
    {
        var key = NewKey();
        var file = PathOf("m.txt");
        File.WriteAllText(file, "x");
        var (exit, _, error) = _cli.Run("sign", "--key", key, "--in", file, "--out", PathOf("s.der"), "--passphrase-env", "PASS");
        Assert.That(exit, Is.EqualTo(2), error);
    }

    [Test]
    public void Key_new_refuses_to_overwrite_a_key()
    {
        var key = NewKey();
        var before = File.ReadAllBytes(key);
        var (exit, _, error) = _cli.Run("key", "new", "--out", key, "--passphrase-env", "PASS", "--kdf-iterations", "1000");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("exists"));
        Assert.That(File.ReadAllBytes(key), Is.EqualTo(before));
    }

    private static IEnumerable<TestCaseData> BadUsage()
    {
        yield return new TestCaseData((object)new[] { "frobnicate" }).SetName("Unknown_command_exits_2");
        yield return new TestCaseData((object)new[] { "hash" }).SetName("Hash_without_a_file_exits_2");
        yield return new TestCaseData((object)new[] { "hash", "/nonexistent/file" }).SetName("Hash_of_a_missing_file_exits_2");
        yield return new TestCaseData((object)new[] { "hash", "a", "b" }).SetName("Hash_with_two_files_exits_2");
        yield return new TestCaseData((object)new[] { "key", "show", "/nonexistent.key" }).SetName("Key_show_of_a_missing_file_exits_2");
        yield return new TestCaseData((object)new[] { "sign", "--key" }).SetName("An_option_without_its_value_exits_2");
        yield return new TestCaseData((object)new[] { "key", "new", "--out", "/tmp/x.key" }).SetName("Key_new_without_a_passphrase_source_exits_2");
        yield return new TestCaseData((object)new[] { "network", "init", "--preset", "mars", "--out", "/tmp/x" }).SetName("Unknown_preset_exits_2");
        yield return new TestCaseData((object)new[] { "hash", "--bogus", "x" }).SetName("Unknown_option_exits_2");
    }

    [TestCaseSource(nameof(BadUsage))]
    public void Bad_usage_exits_2_with_one_line(string[] args)
    {
        var (exit, _, error) = _cli.Run(args);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("ledger: "));
    }

    [Test]
    public void Garbage_in_place_of_a_key_file_or_pem_is_one_line()
    {
        File.WriteAllText(PathOf("junk"), "this is not a key");
        var (exit, _, error) = _cli.Run("key", "show", PathOf("junk"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        File.WriteAllText(PathOf("m"), "m");
        (exit, _, error) = _cli.Run("verify-signature", "--pub", PathOf("junk"), "--in", PathOf("m"), "--sig", PathOf("m"));
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }
}

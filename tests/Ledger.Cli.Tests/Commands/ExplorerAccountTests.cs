using Ledger.Explorer.Staff;

namespace Ledger.Cli.Tests.Commands;

/// <summary><c>ledger explorer account add|remove</c>: the operator's staff accounts, passwords only as PBKDF2-HMAC-SM3.</summary>
public class ExplorerAccountTests
{
    private DirectoryInfo _dir = null!;
    private CliHarness _cli = null!;
    private string _file = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-accounts-");
        _file = Path.Combine(_dir.FullName, "accounts.json");
        _cli = new CliHarness();
        _cli.Set("STAFF_PASSWORD", "a long enough password");
        _cli.Set("SHORT_PASSWORD", "short");
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private (int Exit, string Out, string Error) Add(params string[] extra) =>
        _cli.Run(["explorer", "account", "add", "--accounts", _file, "--kdf-iterations", "1000", .. extra]);

    [Test]
    public void An_account_is_added_owner_only_with_its_password_hashed_and_checks_with_that_password_only()
    {
        var (exit, output, error) = Add("--user", "clerk1", "--role", "court", "--institution", "天河区人民法院", "--password-env", "STAFF_PASSWORD");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("clerk1").And.Contain("PBKDF2-HMAC-SM3"));
        var text = File.ReadAllText(_file);
        Assert.That(text, Does.Not.Contain("a long enough password"), "the password itself is never written");
        Assert.That(text, Does.Contain("天河区人民法院"));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(_file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var accounts = StaffAccounts.Load(_file);
        Assert.That(accounts.Check("clerk1", "a long enough password")?.Role, Is.EqualTo(StaffRole.Court));
        Assert.That(accounts.Check("clerk1", "a long enough passworD"), Is.Null);
        Assert.That(accounts.Check("nobody", "a long enough password"), Is.Null);
    }

    [Test]
    public void A_bureau_account_reads_its_division_only()
    {
        Assert.That(Add("--user", "gz1", "--role", "bureau", "--institution", "广州市人社局", "--division", "440100", "--password-env", "STAFF_PASSWORD").Exit, Is.Zero);
        var account = StaffAccounts.Load(_file).Check("gz1", "a long enough password")!;
        Assert.That(account.HasLegalAuthority, Is.False);
        Assert.That(account.Covers("91440101MA59ABCD1D", []), Is.True, "registered in Guangzhou (digits 3-8: 440101)");
        Assert.That(account.Covers("91440300MA59ABCD1D", ["440106000000"]), Is.True, "worked in Tianhe");
        Assert.That(account.Covers("91440300MA59ABCD1D", ["440305000000"]), Is.False, "Shenzhen, registered and worked");
    }

    [TestCase(new[] { "--user", "clerk1", "--role", "court", "--institution", "X", "--password-env", "SHORT_PASSWORD" }, "at least 10 characters")]
    [TestCase(new[] { "--user", "gz1", "--role", "bureau", "--institution", "X", "--password-env", "STAFF_PASSWORD" }, "needs --division")]
    [TestCase(new[] { "--user", "clerk1", "--role", "court", "--institution", "X", "--division", "440100", "--password-env", "STAFF_PASSWORD" }, "only a bureau account has a division")]
    [TestCase(new[] { "--user", "a b", "--role", "court", "--institution", "X", "--password-env", "STAFF_PASSWORD" }, "without spaces")]
    [TestCase(new[] { "--user", "clerk1", "--role", "judge", "--institution", "X", "--password-env", "STAFF_PASSWORD" }, "--role")]
    [TestCase(new[] { "--user", "clerk1", "--role", "court", "--institution", "X", "--password-env", "UNSET_VARIABLE" }, "UNSET_VARIABLE")]
    public void Bad_input_is_one_line_exit_2_and_writes_nothing(string[] args, string expected)
    {
        var (exit, _, error) = Add(args);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(File.Exists(_file), Is.False);
    }

    [Test]
    public void Removing_an_account_ends_it_and_removing_a_missing_one_exits_1()
    {
        Assert.That(Add("--user", "clerk1", "--role", "court", "--institution", "X", "--password-env", "STAFF_PASSWORD").Exit, Is.Zero);
        Assert.That(_cli.Run("explorer", "account", "remove", "--accounts", _file, "--user", "clerk1").Exit, Is.Zero);
        Assert.That(StaffAccounts.Load(_file).Count, Is.Zero);
        var (exit, _, error) = _cli.Run("explorer", "account", "remove", "--accounts", _file, "--user", "clerk1");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("no account clerk1"));
    }

    [Test]
    public void A_file_that_is_not_an_accounts_file_is_one_line()
    {
        File.WriteAllText(_file, "{\"version\": 1, \"accounts\": [{\"user\": \"x\"}]}");
        var (exit, _, error) = Add("--user", "clerk1", "--role", "court", "--institution", "X", "--password-env", "STAFF_PASSWORD");
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("not a staff accounts file").And.Not.Contain("   at "));
    }

    [TestCase("http://explorer.example/", "--public-url must be an absolute https URL")]
    [TestCase("explorer.example", "--public-url must be an absolute https URL")]
    public void A_public_url_that_is_not_https_is_one_line_exit_2(string url, string expected)
    {
        var (exit, _, error) = _cli.Run("explorer", "--node", "https://127.0.0.1:1", "--insecure", "--public-url", url);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }
}

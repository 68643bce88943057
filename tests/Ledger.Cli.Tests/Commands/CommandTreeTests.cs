using System.CommandLine;
using Ledger.Cli.Commands;

namespace Ledger.Cli.Tests.Commands;

/// <summary>The command tree as a whole: help for every verb, one-line parse errors with typo suggestions, and completion.</summary>
public class CommandTreeTests
{
    private readonly CliHarness _cli = new();

    public static IEnumerable<TestCaseData> EveryVerb()
    {
        var root = CommandLine.Build(new CliHarness().Context(new StringWriter(), new StringWriter()));
        foreach (var path in Walk(root, []))
            yield return new TestCaseData((object)path).SetName($"Help_exits_0_for_ledger {string.Join(' ', path)}".TrimEnd());
    }

    private static IEnumerable<string[]> Walk(Command command, string[] path)
    {
        yield return path;
        foreach (var child in command.Subcommands.Where(c => !c.Hidden))
            foreach (var sub in Walk(child, [.. path, child.Name]))
                yield return sub;
    }

    [Test]
    public void The_tree_has_every_verb_of_the_readme()
    {
        var paths = EveryVerb().Select(t => string.Join(' ', (string[])t.Arguments[0]!)).ToHashSet();
        string[] expected =
        [
            "hash", "key new", "key show", "sign", "verify-signature", "network init", "ca revoke", "node", "devnet", "signer", "explorer", "bench",
            "contract register", "contract sign", "contract change", "contract renew", "contract dissolve", "contract terminate", "contract upload-paper", "contract confirm-paper",
            "contract show", "contract help", "find", "proof get", "proof verify", "completion", "anchor", "anchor key new", "anchor deploy",
            "access log", "access consent", "access delegate", "access revoke",
            "indexer", "analytics",
        ];
        Assert.That(paths, Is.SupersetOf(expected));
    }

    [TestCaseSource(nameof(EveryVerb))]
    public void Help_exits_0_and_describes_every_option(string[] path)
    {
        var (exit, output, error) = _cli.Run([.. path, "--help"]);
        Assert.That(exit, Is.Zero, error);
        Assert.That(error, Is.Empty);
        Assert.That(output, Does.Contain("Usage:"));
        var root = CommandLine.Build(new CliHarness().Context(new StringWriter(), new StringWriter()));
        Command command = root;
        foreach (var name in path) command = command.Subcommands.Single(c => c.Name == name);
        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            Assert.That(output, Does.Contain(option.Name), $"help of '{string.Join(' ', path)}' lacks {option.Name}");
            Assert.That(option.Description, Is.Not.Null.And.Not.Empty, $"{option.Name} of '{string.Join(' ', path)}' has no description");
        }
    }

    [Test]
    public void Help_as_a_verb_is_the_same_as_the_option()
    {
        Assert.That(_cli.Run("help", "devnet"), Is.EqualTo(_cli.Run("devnet", "--help")));
        Assert.That(_cli.Run("help").Exit, Is.Zero);
    }

    [TestCase(new[] { "devnt" }, "did you mean 'devnet'")]
    [TestCase(new[] { "key", "shwo", "k.key" }, "did you mean 'show'")]
    [TestCase(new[] { "proof", "verfy", "p.json" }, "did you mean 'verify'")]
    [TestCase(new[] { "devnet", "--validator", "4" }, "did you mean '--validators'")]
    public void A_typo_exits_2_with_a_suggestion_on_one_line(string[] args, string suggestion)
    {
        var (exit, output, error) = _cli.Run(args);
        Assert.That(exit, Is.EqualTo(ExitCode.BadInput));
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("ledger: ").And.Contain(suggestion));
    }

    [TestCase(new string[0], "a command is needed")]
    [TestCase(new[] { "key" }, "'key' needs one of: new, show")]
    [TestCase(new[] { "devnet", "--validators", "0" }, "--validators must be a whole number from 1 to 22, got '0'")]
    [TestCase(new[] { "devnet", "--validators" }, "--validators")]
    [TestCase(new[] { "proof", "get", "--tx", "xyz", "--out", "p.json" }, "--tx must be 64 hex digits")]
    [TestCase(new[] { "contract", "show", "GZ-1", "--basis", "curiosity" }, "court-case")]
    [TestCase(new[] { "access", "revoke", "--grant", "xyz" }, "--grant must be 64 hex digits")]
    [TestCase(new[] { "network", "init", "--out", "x" }, "--preset")]
    [TestCase(new[] { "contract", "dissolve", "--basis", "because" }, "art36-agreement")]
    [TestCase(new[] { "contract", "register", "--employer-credit-code", "91440101MA59ABCD1X" }, "check character is 'X', GB 32100 gives 'D'")]
    [TestCase(new[] { "contract", "register", "--employer-credit-code", "91440101MA59ABCD" }, "16 characters, not 18")]
    [TestCase(new[] { "contract", "register", "--employer-credit-code", "91440101MA59ABCDIX" }, "'I' is not in the GB 32100 alphabet")]
    [TestCase(new[] { "contract", "register", "--place", "4401" }, "--place must be a 12-digit statistical division code")]
    [TestCase(new[] { "contract", "register", "--place", "990106000000" }, "--place must be a 12-digit statistical division code")]
    [TestCase(new[] { "contract", "register", "--id", "GZ 2024" }, "--id must be 1-64 characters")]
    [TestCase(new[] { "contract", "register", "--start", "2024-02-30" }, "--start must be a date yyyy-mm-dd, got '2024-02-30'")]
    [TestCase(new[] { "contract", "register", "--industry", "Z99" }, "--industry must be a GB/T 4754-2017 industry code")]
    [TestCase(new[] { "contract", "register", "--worker-pseudonym", "SM3" }, "--worker-pseudonym must be 64 hex digits")]
    [TestCase(new[] { "contract", "sign", "--version", "0" }, "--version must be a version number from 1")]
    [TestCase(new[] { "find", "--node", "127.0.0.1:7600" }, "--node must be an http:// or https:// URL")]
    [TestCase(new[] { "hash", "a", "b" }, "unknown argument 'b'")]
    [TestCase(new[] { "key", "show", "k.key", "--out", "x" }, "unknown option '--out'")]
    public void Bad_usage_is_refused_before_anything_runs_with_one_line(string[] args, string expected)
    {
        var (exit, output, error) = _cli.Run(args);
        Assert.That(exit, Is.EqualTo(ExitCode.BadInput), error);
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith("ledger: ").And.Contain(expected));
    }

    [TestCase("contract re", new[] { "register", "renew" })]
    [TestCase("contract register --type ", new[] { "fixed-term", "open-ended", "task-based" })]
    [TestCase("contract dissolve --ba", new[] { "--basis" })]
    [TestCase("dev", new[] { "devnet" })]
    public void Completion_offers_the_words_the_parser_accepts(string line, string[] expected)
    {
        var (exit, output, _) = _cli.Run("__complete", line);
        Assert.That(exit, Is.Zero);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(expected));
    }

    [Test]
    public void The_completion_script_calls_back_into_ledger()
    {
        var (exit, output, _) = _cli.Run("completion", "bash");
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("__complete").And.Contain("complete -o default -F _ledger_complete ledger"));
        Assert.That(_cli.Run("completion", "fish").Exit, Is.EqualTo(ExitCode.BadInput));
    }
}

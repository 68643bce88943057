using System.Text.RegularExpressions;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Explorer.Tests.Api;

/// <summary>
/// The explorer's words (wwwroot/i18n.js, as embedded) name every contract status, evidence grade and action the chain
/// records, in Chinese and in English: a status added on chain never reaches a clerk as a bare enum name.
/// </summary>
public partial class WordsTests
{
    private static string Dictionary(string name)
    {
        using var stream = typeof(Ledger.Explorer.ExplorerHost).Assembly.GetManifestResourceStream("wwwroot/i18n.js")
            ?? throw new AssertionException("i18n.js is not embedded");
        var text = new StreamReader(stream).ReadToEnd();
        var start = text.IndexOf($"const {name} = {{", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), name);
        return text[start..text.IndexOf("};", start, StringComparison.Ordinal)];
    }

    private static IEnumerable<TestCaseData> Terms() =>
        Enum.GetNames<ContractStatus>().Select(n => "status." + n)
            .Concat(Enum.GetNames<EvidenceGrade>().Select(n => "grade." + n))
            .Concat(Enum.GetNames<ContractAction>().Select(n => "action." + n))
            .SelectMany(key => new[] { new TestCaseData("zh", key), new TestCaseData("en", key) });

    [TestCaseSource(nameof(Terms))]
    public void Every_status_grade_and_action_has_words(string language, string key)
    {
        var entry = new Regex("'" + Regex.Escape(key) + "': '((?:[^'\\\\]|\\\\.)+)'").Match(Dictionary(language));
        Assert.That(entry.Success, Is.True, $"{language} has no '{key}'");
        if (language == "zh" && !key.EndsWith(".Unspecified", StringComparison.Ordinal))
            Assert.That(HanCharacter().IsMatch(entry.Groups[1].Value), Is.True, $"zh-CN words for {key}: {entry.Groups[1].Value}");
    }

    [GeneratedRegex("\\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex HanCharacter();
}

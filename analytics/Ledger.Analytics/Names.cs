using System.Text;

namespace Ledger.Analytics;

/// <summary>Enum names as the schema, the CLI and the CSV spell them: Art41Layoff → art41-layoff.</summary>
public static class Names
{
    public static string Kebab(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c)) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}

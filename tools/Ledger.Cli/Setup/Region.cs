namespace Ledger.Cli.Setup;

/// <summary>A division of the region table in network-config/regions.</summary>
public sealed record Region(string Code, string Name, string NameEn, string Slug);

namespace Ledger.Core.Genesis;

/// <summary>A validator of the initial set: its name, its region and its certificate (PEM).</summary>
public sealed record GenesisValidator(string Name, string Division, string Certificate);

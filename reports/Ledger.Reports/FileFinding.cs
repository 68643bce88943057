using Ledger.Core;

namespace Ledger.Reports;

/// <summary>A file checked against a bundle: the version whose document it is (null: none), and the events that anchored it.</summary>
public sealed record FileFinding(string Name, Hash32 Hash, uint? Version, IReadOnlyList<int> Events)
{
    public bool Matches => Version is not null;
}

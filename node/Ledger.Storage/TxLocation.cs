namespace Ledger.Storage;

/// <summary>Where a committed tx is: the block's height and the tx's index in it.</summary>
public sealed record TxLocation(ulong Height, int Index) : IComparable<TxLocation>
{
    public int CompareTo(TxLocation? other)
    {
        if (other is null) return 1;
        var byHeight = Height.CompareTo(other.Height);
        return byHeight != 0 ? byHeight : Index.CompareTo(other.Index);
    }
}

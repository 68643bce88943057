namespace Ledger.Core.Wire;

/// <summary>The two protobuf wire types the ledger's formats use; the others are rejected on decode.</summary>
public enum WireType
{
    Varint = 0,
    LengthDelimited = 2,
}

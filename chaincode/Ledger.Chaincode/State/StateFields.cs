using System.Globalization;
using Ledger.Core.Contracts;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.State;

/// <summary>Decoding helpers for the chaincode's state records.</summary>
internal static class StateFields
{
    public static TEnum ReadEnum<TEnum>(ref ProtoReader r, string field) where TEnum : struct, Enum
    {
        var value = r.ReadUInt32();
        var e = (TEnum)Enum.ToObject(typeof(TEnum), value);
        return Enum.IsDefined(e) ? e : throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"{field}: unknown value {value}"));
    }

    public static ContractDate ReadDate(ref ProtoReader r, string field)
    {
        var value = r.ReadUInt32();
        return ContractDate.TryFromNumber(value, out var date) ? date : throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is not a yyyymmdd date"));
    }
}

using System.Globalization;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>Reading helpers shared by the contract payloads: enums and dates are checked as they are decoded.</summary>
internal static class PayloadFields
{
    public const int MaxIdBytes = EncodingLimits.MaxShortStringBytes;

    public static ContractDate ReadDate(ref ProtoReader r, string field)
    {
        var value = r.ReadUInt32();
        return ContractDate.TryFromNumber(value, out var date) ? date : throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is not a yyyymmdd date"));
    }

    public static TEnum ReadEnum<TEnum>(ref ProtoReader r, string field) where TEnum : struct, Enum
    {
        var value = r.ReadUInt32();
        var e = (TEnum)Enum.ToObject(typeof(TEnum), value);
        return Enum.IsDefined(e) ? e : throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"{field}: unknown value {value}"));
    }

    public static T Require<T>(T? value, ref ProtoReader r, string field) where T : struct =>
        value ?? throw r.Missing(field);

    public static string Require(string? value, ref ProtoReader r, string field) =>
        value ?? throw r.Missing(field);

    public static TEnum RequireEnum<TEnum>(TEnum value, ref ProtoReader r, string field) where TEnum : struct, Enum =>
        Convert.ToUInt32(value, CultureInfo.InvariantCulture) != 0 ? value : throw r.Missing(field);

    public static void CheckSize(ReadOnlySpan<byte> bytes, string message)
    {
        if (bytes.Length > EncodingLimits.MaxMessageBytes)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"{message}: {bytes.Length} bytes, at most {EncodingLimits.MaxMessageBytes}"));
    }
}

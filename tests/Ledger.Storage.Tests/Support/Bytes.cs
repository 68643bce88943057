namespace Ledger.Storage.Tests.Support;

internal static class Bytes
{
    public static byte[] Of(params int[] values) => values.Select(v => checked((byte)v)).ToArray();

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

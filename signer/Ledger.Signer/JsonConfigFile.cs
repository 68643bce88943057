using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Core;

namespace Ledger.Signer;

/// <summary>How the signer's and the CA process's JSON configs are read and written: camelCase, unknown members refused.</summary>
internal static class JsonConfigFile
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public static string ToJson<T>(T config) => JsonSerializer.Serialize(config, Options) + "\n";

    /// <summary>The config at <paramref name="path"/>, placed in its directory (relative paths resolve there), then validated.</summary>
    public static T Load<T>(string path, Func<T, string, T> placedIn, Action<T> validate) where T : class
    {
        if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"no such config file: {path}");
        try
        {
            var config = JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                         ?? throw new LedgerException(ErrorCode.MissingField, $"{path}: empty config");
            config = placedIn(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
            validate(config);
            return config;
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{path}: {e.Message}");
        }
    }
}

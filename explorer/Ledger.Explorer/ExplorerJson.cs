using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Explorer;

/// <summary>The JSON conventions of the API: camelCase, enums as names, nulls left out.</summary>
public static class ExplorerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}

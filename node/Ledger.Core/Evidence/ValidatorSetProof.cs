using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Core.Evidence;

/// <summary>
/// The validator set of a height as the chain proves it: the set's certificates and, when governance changed the set
/// before that height, the checkpoints it derives from genesis through (<see cref="ValidatorCheckpointJson"/>,
/// docs/proof-format.md §2a). Public: the same as headers and seals name. A follower (the analytics indexer, the
/// anchoring check) checks it with the proof verifier before counting seals against it; nothing here is trusted as is.
/// </summary>
public sealed record ValidatorSetProof
{
    public const string FormatName = "ledger-validator-set";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public required string ChainId { get; init; }
    public required ulong Height { get; init; }

    /// <summary>PEM certificates of the set deciding <see cref="Height"/>.</summary>
    public required IReadOnlyList<string> Validators { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ValidatorCheckpointJson>? ValidatorCheckpoints { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    public static ValidatorSetProof FromJson(string json)
    {
        ValidatorSetProof? proof;
        try
        {
            proof = JsonSerializer.Deserialize<ValidatorSetProof>(json, Options);
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidProof, $"validator set: {e.Message}");
        }
        if (proof is null || proof.Format != FormatName || proof.Version != CurrentVersion)
            throw new LedgerException(ErrorCode.InvalidProof, $"validator set: not a {FormatName} version {CurrentVersion}");
        return proof;
    }
}

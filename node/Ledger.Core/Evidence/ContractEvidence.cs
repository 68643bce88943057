using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Core.Evidence;

/// <summary>
/// A contract bundle (ARCHITECTURE §8, docs/proof-format.md): the contract's record at a certified height with its
/// state proof — or a proof that no record exists there — and every event the record's history names, each a
/// complete tx proof. It shows the contract's status at <see cref="Height"/> and that no event is missing, left
/// out or reordered. "Latest" can only mean "latest this bundle knows": the verifier reports the height, and a
/// bundle below a newer certified height the reader holds is stale.
/// </summary>
public sealed record ContractEvidence
{
    public const string FormatName = "ledger-contract-evidence";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public required string ChainId { get; init; }
    public required string ContractId { get; init; }

    /// <summary>The certified height the state proof is at.</summary>
    public required ulong Height { get; init; }

    /// <summary>The encoded BlockHeader at <see cref="Height"/>, base64: its state root anchors the state proof.</summary>
    public required string Header { get; init; }

    /// <summary>The encoded CommitCertificate of that header, base64.</summary>
    public required string Commit { get; init; }

    /// <summary>PEM certificates of the validator set at that height.</summary>
    public required IReadOnlyList<string> Validators { get; init; }

    /// <summary>PEM certificates of the CAs between the validators and the root in genesis.</summary>
    public required IReadOnlyList<string> Intermediates { get; init; }

    /// <summary>
    /// How the set of <see cref="Validators"/> derives from genesis when governance changed it before this height; absent
    /// while genesis's set is the only one (<see cref="ValidatorCheckpointJson"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ValidatorCheckpointJson>? ValidatorCheckpoints { get; init; }

    /// <summary>The encoded ContractRecord under key 0x10 ‖ UTF-8 contract id, base64; null when the contract has no record at that height.</summary>
    public string? Record { get; init; }

    public required StateProofJson StateProof { get; init; }

    /// <summary>One tx proof per entry of the record's history, in its order.</summary>
    public required IReadOnlyList<EvidenceProof> Events { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>True when <paramref name="json"/> names this format (so a reader can tell bundle kinds apart).</summary>
    public static bool IsContractEvidence(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("format", out var format)
                && format.ValueKind == JsonValueKind.String && format.GetString() == FormatName;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Parses a contract bundle; anything malformed is a <see cref="LedgerException"/> (InvalidProof).</summary>
    public static ContractEvidence FromJson(string json)
    {
        ContractEvidence? bundle;
        try
        {
            bundle = JsonSerializer.Deserialize<ContractEvidence>(json, Options);
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidProof, $"contract bundle: {e.Message}");
        }
        if (bundle is null) throw new LedgerException(ErrorCode.InvalidProof, "contract bundle: empty document");
        if (bundle.Format != FormatName || bundle.Version != CurrentVersion)
            throw new LedgerException(ErrorCode.InvalidProof, $"contract bundle: not a {FormatName} version {CurrentVersion}");
        foreach (var e in bundle.Events)
        {
            if (e.Format != EvidenceProof.FormatName || e.Version != EvidenceProof.CurrentVersion)
                throw new LedgerException(ErrorCode.InvalidProof, $"contract bundle: an event is not a {EvidenceProof.FormatName} version {EvidenceProof.CurrentVersion}");
        }
        return bundle;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Core.Evidence;

/// <summary>
/// proof.json (存证证明, ARCHITECTURE §8): everything needed to show, without trusting any node, that a
/// transaction was committed — the envelope and its receipt, their Merkle paths, the block header, the
/// commit certificate and the certificates of the validators that sealed it. Checked against genesis.json
/// by <c>ledger proof verify</c> and by the explorer.
/// </summary>
public sealed record EvidenceProof
{
    public const string FormatName = "ledger-evidence-proof";
    /// <summary>Version 2 added <see cref="Revocations"/>: a proof without the signers' revocation status is not accepted.</summary>
    public const int CurrentVersion = 2;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public required string ChainId { get; init; }

    /// <summary>Hex SM3 of the tx body; recomputed by the verifier.</summary>
    public required string TxId { get; init; }

    /// <summary>The encoded TxEnvelope, base64, exactly as in the block.</summary>
    public required string Envelope { get; init; }

    /// <summary>The encoded Receipt, base64.</summary>
    public required string Receipt { get; init; }

    public required long TxIndex { get; init; }
    public required long TxCount { get; init; }

    /// <summary>Sibling hashes (hex) from the envelope's leaf to the header's tx_root.</summary>
    public required IReadOnlyList<string> TxPath { get; init; }

    /// <summary>Sibling hashes (hex) from the receipt's leaf to the header's receipts_root (same index and count).</summary>
    public required IReadOnlyList<string> ReceiptPath { get; init; }

    /// <summary>The encoded BlockHeader, base64.</summary>
    public required string Header { get; init; }

    /// <summary>The encoded CommitCertificate, base64.</summary>
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

    /// <summary>
    /// For every certificate the tx relies on — each endorsing certificate, then each CA between it and the root, in that
    /// order, once — whether the chain had recorded it revoked at the tx's block, proved under the block's state root.
    /// </summary>
    public required IReadOnlyList<RevocationProofJson> Revocations { get; init; }

    /// <summary>
    /// The nearest later external-anchor checkpoint the chain has recorded, with its own proof and the header link; absent
    /// (not written) when there is none yet, so a proof without one is exactly the format before anchors.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AnchorProofJson? Anchor { get; init; }

    /// <summary>
    /// For the seal of a paper batch: the document, its place in the batch and its path to the sealed root; absent (not
    /// written) for every other tx.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BatchProofJson? Batch { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Parses proof.json; anything malformed is a <see cref="LedgerException"/> (InvalidProof).</summary>
    public static EvidenceProof FromJson(string json)
    {
        EvidenceProof? proof;
        try
        {
            proof = JsonSerializer.Deserialize<EvidenceProof>(json, Options);
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidProof, $"proof: {e.Message}");
        }
        if (proof is null) throw new LedgerException(ErrorCode.InvalidProof, "proof: empty document");
        if (proof.Format != FormatName || proof.Version != CurrentVersion)
            throw new LedgerException(ErrorCode.InvalidProof, $"proof: not a {FormatName} version {CurrentVersion}");
        return proof;
    }
}

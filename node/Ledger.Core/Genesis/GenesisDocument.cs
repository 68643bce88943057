using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Core.Genesis;

/// <summary>
/// genesis.json: what every node and every offline verifier starts from — the chain id, the consortium
/// root CA, the city CAs, the initial validators and the consensus parameters. Certificates are PEM.
/// Its SM3 (over the file's bytes) identifies the network.
/// </summary>
public sealed record GenesisDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string ChainId { get; init; }
    public required string NetworkName { get; init; }

    /// <summary>Unix milliseconds; the timestamp of block 0.</summary>
    public required long GenesisTime { get; init; }

    public required string RootCertificate { get; init; }
    public required IReadOnlyList<string> IntermediateCertificates { get; init; }
    public required IReadOnlyList<GenesisValidator> Validators { get; init; }
    public required ConsensusParameters Consensus { get; init; }

    /// <summary>The chaincode's jurisdiction; absent: the Guangdong preset (see <see cref="ChaincodeParameters"/>).</summary>
    public ChaincodeParameters? Chaincode { get; init; }

    /// <summary>
    /// The protocol version height 1 runs (<see cref="Governance.ProtocolVersions"/>); absent in a genesis written before
    /// versions existed, which runs version 1.
    /// </summary>
    public int? ProtocolVersion { get; init; }

    /// <summary>The anchoring interval; absent: <see cref="AnchoringParameters.Default"/>.</summary>
    public AnchoringParameters? Anchoring { get; init; }

    /// <summary>The anchoring interval genesis sets.</summary>
    [JsonIgnore]
    public AnchoringParameters InitialAnchoring => Anchoring ?? AnchoringParameters.Default;

    /// <summary>The protocol version height 1 runs.</summary>
    [JsonIgnore]
    public int InitialProtocolVersion => ProtocolVersion ?? Governance.ProtocolVersions.V1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Parses genesis.json; a malformed document is a <see cref="LedgerException"/>, never a JSON exception.</summary>
    public static GenesisDocument FromJson(string json)
    {
        GenesisDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<GenesisDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"genesis: {e.Message}");
        }
        if (document is null) throw new LedgerException(ErrorCode.MissingField, "genesis: empty document");
        if (document.Version != CurrentVersion) throw new LedgerException(ErrorCode.InvalidFieldValue, $"genesis: version {document.Version} is not supported");
        if (document.Validators.Count == 0) throw new LedgerException(ErrorCode.MissingField, "genesis: no validators");
        if (document.Consensus.TimestampPrecisionMs <= 0 || document.Consensus.MessageDelayMs < 0)
            throw new LedgerException(ErrorCode.InvalidFieldValue, "genesis: consensus.timestampPrecisionMs must be positive and consensus.messageDelayMs not negative");
        if (document.ProtocolVersion is { } protocol && (protocol < Governance.ProtocolVersions.V1 || protocol > Governance.ProtocolVersions.Current))
            throw new LedgerException(ErrorCode.ProtocolVersionUnsupported,
                $"genesis: protocolVersion {protocol}; this software runs versions {Governance.ProtocolVersions.V1} to {Governance.ProtocolVersions.Current}");
        if (document.Consensus.GovernanceDelayBlocks < 2)
            throw new LedgerException(ErrorCode.InvalidFieldValue, "genesis: consensus.governanceDelayBlocks must be at least 2");
        if (document.Anchoring is { } anchoring)
        {
            Within(Governance.ChainParameter.AnchorIntervalBlocks, anchoring.IntervalBlocks);
            Within(Governance.ChainParameter.AnchorIntervalSeconds, anchoring.IntervalSeconds);
        }
        return document;
    }

    private static void Within(string parameter, ulong value)
    {
        var (min, max) = Governance.ChainParameter.Bounds[parameter];
        if (value < min || value > max)
            throw new LedgerException(ErrorCode.InvalidFieldValue, System.FormattableString.Invariant($"genesis: {parameter} takes {min}..{max}, not {value}"));
    }
}

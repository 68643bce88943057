using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Reports;

/// <summary>
/// What a verification report states, before it is laid out and signed: who issued it and when, what was checked and
/// the result, and — when the proof holds — the contract, the document, the parties, the block and its validators,
/// and the trust anchor it was checked against. A failed check states only the failure: nothing in a failed proof is
/// vouched for.
/// </summary>
public sealed record VerificationReport
{
    public required string ReportId { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required string IssuerSubject { get; init; }
    public required string IssuerDivision { get; init; }

    public required EvidenceReport Result { get; init; }
    public required string ChainId { get; init; }
    public required Hash32 GenesisFingerprint { get; init; }
    public required string RootSubject { get; init; }

    /// <summary>SM3 of the proof.json bytes the report was made from, so the report and the proof can be matched.</summary>
    public required Hash32 ProofHash { get; init; }

    /// <summary>The name of the file checked against the anchored hash, or null when none was given.</summary>
    public string? FileName { get; init; }

    public IReadOnlyList<ReportParty> Parties { get; init; } = [];
    public IReadOnlyList<ReportSealer> Sealers { get; init; } = [];

    /// <summary>The explorer page where the document can be checked again (the QR code), or null.</summary>
    public Uri? VerifyUrl { get; init; }

    /// <summary>
    /// When the issuer knows the contract has moved on — a later version concluded after the one this proof anchors —
    /// the version in force (the report then says so under its result: a party may have filed a superseded version).
    /// </summary>
    public Superseded? SupersededBy { get; init; }

    public bool Valid => Result.IsValid;

    public int Quorum => Result.ValidatorCount == 0 ? 0 : Core.Blocks.ValidatorSet.Quorum(Result.ValidatorCount);

    /// <summary>
    /// The report of checking <paramref name="proofJson"/> against <paramref name="genesis"/> (whose file bytes hash to
    /// <paramref name="genesisFingerprint"/>), issued by <paramref name="issuer"/> at <paramref name="now"/>.
    /// </summary>
    public static VerificationReport Create(
        string proofJson, EvidenceReport result, GenesisDocument genesis, Hash32 genesisFingerprint, ReportIssuer issuer,
        DateTimeOffset now, string? fileName = null, Uri? explorer = null)
    {
        ArgumentNullException.ThrowIfNull(proofJson);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(issuer);
        var proofHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(proofJson));
        var names = ReportNames.Bureaus(genesis);
        var root = Crypto.Certificates.LedgerCertificate.FromPem(genesis.RootCertificate);
        return new VerificationReport
        {
            ReportId = ReportNames.ReportId(proofHash, genesisFingerprint, now),
            GeneratedAt = now,
            IssuerSubject = issuer.Certificate.CommonName,
            IssuerDivision = issuer.Certificate.Division.Value,
            Result = result,
            ChainId = genesis.ChainId,
            GenesisFingerprint = genesisFingerprint,
            RootSubject = root.CommonName,
            ProofHash = proofHash,
            FileName = fileName,
            Parties = result.Signers.Select(s => new ReportParty(
                s.Scope, s.Role, s.Role == Role.Worker ? null : ReportNames.CommonName(s.Subject), s.CreditCode, s.KeyId.ToHex())).ToArray(),
            Sealers = result.SealedBy.Select(v => ReportNames.Sealer(names, v)).ToArray(),
            VerifyUrl = explorer is null || result.DocumentHash is null ? null : new Uri(explorer, $"/verify/{result.DocumentHash.Value.ToHex()}"),
        };
    }
}

/// <summary>The version of a contract in force (<paramref name="EffectiveVersion"/>, 0: none) of <paramref name="LatestVersion"/>, as the chain stood when the report was issued.</summary>
public sealed record Superseded(uint EffectiveVersion, uint LatestVersion, DateTimeOffset AsOf);

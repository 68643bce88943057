using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Genesis;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Reports;

/// <summary>
/// What a report on a contract bundle states, before it is laid out and signed: who issued it and when, the contract's
/// status and version in force as the bundle's state proof shows them at its height, every event in order with its
/// block, time bound and sealing bureaus, which versions a later one superseded, and the trust anchor. Made only from a
/// bundle that verified: an invalid bundle gets no report.
/// </summary>
public sealed record ContractBundleReport
{
    public required string ReportId { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required string IssuerSubject { get; init; }
    public required string IssuerDivision { get; init; }

    public required ContractEvidenceReport Result { get; init; }
    public required string ChainId { get; init; }
    public required Hash32 GenesisFingerprint { get; init; }
    public required string RootSubject { get; init; }

    /// <summary>SM3 of the bundle's JSON bytes the report was made from, so the report and the bundle can be matched.</summary>
    public required Hash32 ProofHash { get; init; }

    /// <summary>Every event of the contract, in the order of its history.</summary>
    public required IReadOnlyList<ReportEvent> Events { get; init; }

    /// <summary>The validators that sealed the block the state proof rests on.</summary>
    public required IReadOnlyList<ReportSealer> Sealers { get; init; }

    /// <summary>The versions the bundle shows a later version in force over (ascending); empty when none.</summary>
    public IReadOnlyList<uint> SupersededVersions =>
        Events.Where(e => e.Standing == VersionStanding.Superseded).Select(e => e.Version).Distinct().Order().ToArray();

    /// <summary>The file checked against the events' document hashes, or null when none was given.</summary>
    public FileFinding? File { get; init; }

    public int Quorum => Result.ValidatorCount == 0 ? 0 : Core.Blocks.ValidatorSet.Quorum(Result.ValidatorCount);

    /// <summary>
    /// The report of a verified bundle (<paramref name="result"/> from <see cref="ContractEvidenceVerifier"/> over
    /// <paramref name="bundleJson"/>); a failed result is refused — nothing in an invalid bundle is vouched for.
    /// With <paramref name="file"/>, its SM3 is matched against every event's document.
    /// </summary>
    public static ContractBundleReport Create(
        string bundleJson, ContractEvidenceReport result, GenesisDocument genesis, Hash32 genesisFingerprint, ReportIssuer issuer,
        DateTimeOffset now, (string Name, Hash32 Hash)? file = null)
    {
        ArgumentNullException.ThrowIfNull(bundleJson);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(issuer);
        if (!result.IsValid) throw new ArgumentException($"no report of a bundle that does not verify ({result.Result.Code})", nameof(result));
        var proofHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(bundleJson));
        var names = ReportNames.Bureaus(genesis);
        var effective = result.EffectiveVersion;
        var events = result.Events.Select((e, i) => new ReportEvent(
            i + 1, e.Action, e.Version ?? 0, e.Height!.Value, e.BlockHash!.Value, e.BlockTime!.Value, e.AttestedTime, e.DocumentHash, e.TxId!.Value,
            e.SealedBy.Select(v => ReportNames.Sealer(names, v)).ToArray(),
            Standing(e.Action, e.Version ?? 0, effective, result.Status), e.Anchor)).ToArray();
        FileFinding? finding = null;
        if (file is { } f)
        {
            var matches = events.Where(e => e.DocumentHash == f.Hash).ToArray();
            finding = new FileFinding(f.Name, f.Hash, matches.Length == 0 ? null : matches[0].Version,
                matches.Select(e => e.Index).ToArray());
        }
        return new ContractBundleReport
        {
            ReportId = ReportNames.ReportId(proofHash, genesisFingerprint, now),
            GeneratedAt = now,
            IssuerSubject = issuer.Certificate.CommonName,
            IssuerDivision = issuer.Certificate.Division.Value,
            Result = result,
            ChainId = genesis.ChainId,
            GenesisFingerprint = genesisFingerprint,
            RootSubject = Crypto.Certificates.LedgerCertificate.FromPem(genesis.RootCertificate).CommonName,
            ProofHash = proofHash,
            Events = events,
            Sealers = result.SealedBy.Select(v => ReportNames.Sealer(names, v)).ToArray(),
            File = finding,
        };
    }

    /// <summary>
    /// Where an event's version stands against the version in force the state proof shows: a dissolution or termination
    /// acts on the contract as a whole and supersedes nothing of itself.
    /// </summary>
    private static VersionStanding Standing(ContractAction? action, uint version, uint effective, ContractStatus? status) => action switch
    {
        ContractAction.Dissolve or ContractAction.Terminate => VersionStanding.Closing,
        _ when effective == 0 || version > effective => VersionStanding.NotInForce,
        _ when version < effective => VersionStanding.Superseded,
        _ when IsClosed(status) => VersionStanding.LastInForce,
        _ => VersionStanding.InForce,
    };

    /// <summary>Dissolved or terminated: no version is in force any more; the record keeps the last one that was.</summary>
    public static bool IsClosed(ContractStatus? status) => status is ContractStatus.Dissolved or ContractStatus.Terminated;

    public bool Closed => IsClosed(Result.Status);
}

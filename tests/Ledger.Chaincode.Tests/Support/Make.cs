using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Tests.Support;

/// <summary>Payload builders with lawful defaults, so each test changes only what it is about.</summary>
public static class Make
{
    public static ContractDate Date(string iso) =>
        ContractDate.TryParse(iso, out var date) ? date : throw new ArgumentException($"bad date {iso}", nameof(iso));

    /// <summary>Default: fixed term 2024-07-01 to 2027-06-30 (3 years), no probation, Tianhe district, software (I6510).</summary>
    public static ContractTerms Terms(
        ContractType type = ContractType.FixedTerm,
        string start = "2024-07-01",
        string? end = "2027-06-30",
        string? probationEnd = null,
        string place = "440106000000",
        string industry = "I6510",
        string? modelText = null) => new()
    {
        Type = type,
        Start = Date(start),
        End = end is null ? null : Date(end),
        ProbationEnd = probationEnd is null ? null : Date(probationEnd),
        PlaceOfWork = place,
        Industry = industry,
        ModelTextId = modelText,
    };

    public static Hash32 Doc(string id, int n) => Parties.Hash($"document {id} #{n}");

    public static RegisterPayload Register(string id, ContractTerms? terms = null, string? employer = null, Hash32? worker = null) => new()
    {
        ContractId = id,
        DocumentHash = Doc(id, 1),
        DocumentFormat = DocumentFormat.Pdf,
        EmployerCreditCode = employer ?? Parties.CodeA.Value,
        WorkerPseudonym = worker ?? Parties.CommitmentA,
        Terms = terms ?? Terms(),
    };

    public static UploadPaperPayload Paper(string id, ContractTerms? terms = null, string signedOn = "2024-05-20", string? employer = null, Hash32? worker = null) => new()
    {
        ContractId = id,
        ScanHash = Parties.Hash($"scan {id}"),
        ScanFormat = DocumentFormat.Ofd,
        EmployerCreditCode = employer ?? Parties.CodeA.Value,
        WorkerPseudonym = worker ?? Parties.CommitmentA,
        Terms = terms ?? Terms(),
        PaperSignedOn = Date(signedOn),
        AttestationReference = "GZ-ARCHIVE-2024-0001",
    };

    /// <summary>Confirms the paper upload of <see cref="Paper"/> (its scan hash by default); a reference only for a bureau's attestation.</summary>
    public static ConfirmPaperPayload Confirm(string id, Hash32? scan = null, string? reference = null) => new()
    {
        ContractId = id,
        ScanHash = scan ?? Parties.Hash($"scan {id}"),
        AttestationReference = reference,
    };

    public static SignPayload Sign(string id, uint version, Hash32 document) => new() { ContractId = id, Version = version, DocumentHash = document };

    public static ChangePayload Change(string id, uint baseVersion, ContractTerms? terms = null, int docNumber = 0) => new()
    {
        ContractId = id,
        BaseVersion = baseVersion,
        DocumentHash = Doc(id, docNumber != 0 ? docNumber : (int)baseVersion + 1),
        DocumentFormat = DocumentFormat.Ofd,
        Terms = terms ?? Terms(place: "440104000000"),
    };

    /// <summary>Default renewal: fixed term 2027-07-01 to 2030-06-30, right after the default term.</summary>
    public static RenewPayload Renew(string id, uint baseVersion, ContractTerms? terms = null) => new()
    {
        ContractId = id,
        BaseVersion = baseVersion,
        DocumentHash = Doc(id, (int)baseVersion + 1),
        DocumentFormat = DocumentFormat.Pdf,
        Terms = terms ?? Terms(start: "2027-07-01", end: "2030-06-30"),
    };

    public static DissolvePayload Dissolve(string id, uint version, Hash32 document, DissolutionBasis basis = DissolutionBasis.Art36Agreement, string effective = "2025-01-01") => new()
    {
        ContractId = id,
        Version = version,
        DocumentHash = document,
        Basis = basis,
        EffectiveDate = Date(effective),
    };

    public static TerminatePayload Terminate(string id, uint version, Hash32 document, TerminationReason reason = TerminationReason.EmployerClosed, string effective = "2025-01-01") => new()
    {
        ContractId = id,
        Version = version,
        DocumentHash = document,
        Reason = reason,
        EffectiveDate = Date(effective),
    };
}

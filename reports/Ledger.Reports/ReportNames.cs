using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;

namespace Ledger.Reports;

/// <summary>How reports name things: validators by the bureau genesis names, subjects by their CN, reports by a readable id.</summary>
internal static class ReportNames
{
    /// <summary>The bureau names of genesis's validators, by certificate id.</summary>
    public static Dictionary<Hash32, string> Bureaus(GenesisDocument genesis) =>
        genesis.Validators.ToDictionary(v => Crypto.Certificates.LedgerCertificate.FromPem(v.Certificate).Id, v => v.DisplayName);

    /// <summary>
    /// A sealer as genesis names it; a validator voted in later by the bureau of its certificate's division, as genesis
    /// names its own (<see cref="BureauNames"/>); else by its certificate's CN.
    /// </summary>
    public static ReportSealer Sealer(IReadOnlyDictionary<Hash32, string> bureaus, SealingValidator validator) =>
        new(bureaus.GetValueOrDefault(validator.CertificateId) ?? BureauNames.Of(validator.Division) ?? CommonName(validator.Subject) ?? validator.Subject,
            validator.Division, validator.CertificateId.ToHex());

    /// <summary>The CN of an X.500 subject ("C=CN,organizationIdentifier=…,CN=Name" → "Name"), as a clerk would name the party.</summary>
    public static string? CommonName(string? subject)
    {
        if (subject is null) return null;
        var at = subject.LastIndexOf("CN=", StringComparison.Ordinal);
        return at < 0 ? subject : subject[(at + 3)..];
    }

    /// <summary>A report id a clerk can read out: the date and the first digits of SM3(proof, genesis, time).</summary>
    public static string ReportId(Hash32 proofHash, Hash32 genesis, DateTimeOffset now)
    {
        var seed = new byte[72];
        proofHash.CopyTo(seed.AsSpan(0, 32));
        genesis.CopyTo(seed.AsSpan(32, 32));
        BitConverter.TryWriteBytes(seed.AsSpan(64), now.ToUnixTimeMilliseconds());
        return $"GDLC-{now.ToOffset(ReportText.ChinaStandardTime):yyyyMMdd}-{Sm3.Hash(seed).ToHex()[..12].ToUpperInvariant()}";
    }
}

using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit.Network;

namespace Ledger.TestKit.Builders;

/// <summary>
/// Worker certificates as a city bureau issues them after enrolment: the pseudonym is HMAC-SM3 of the ID number under
/// the province's pseudonym key (for a devnet, its <c>ca/pseudonym.key</c>), the ID number itself goes nowhere.
/// </summary>
public static class TestWorkers
{
    /// <summary>The province pseudonym key of a network made by <c>ledger network init</c>.</summary>
    public static byte[] ReadPseudonymKey(string networkDirectory) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(networkDirectory, "ca", "pseudonym.key")).Trim());

    /// <summary>A city CA of a network made by <c>ledger network init</c> (e.g. "guangzhou"), with its key.</summary>
    public static CertificateAuthority LoadCityCa(string networkDirectory, string city, string passphrase) =>
        CertificateAuthority.FromCertificate(
            LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(networkDirectory, "ca", city + ".pem"))),
            KeyFile.Load(Path.Combine(networkDirectory, "ca", city + ".key"), passphrase, KeyFileOptions.ForTests));

    public static TestParty Issue(CertificateAuthority cityCa, byte[] pseudonymKey, string idNumber, string name = "worker") =>
        Issue(cityCa, WorkerPseudonym.Compute(pseudonymKey, idNumber), name);

    public static TestParty Issue(CertificateAuthority cityCa, Hash32 pseudonym, string name = "worker")
    {
        ArgumentNullException.ThrowIfNull(cityCa);
        var key = Sm2PrivateKey.Generate();
        var certificate = cityCa.Issue(new CertificateRequest($"worker {pseudonym.ToHex()[..32]}", Role.Worker, cityCa.Certificate.Division, key.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), null, pseudonym));
        return new TestParty(name, key, certificate);
    }
}

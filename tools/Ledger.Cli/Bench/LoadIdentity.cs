using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Cli.Setup;

namespace Ledger.Cli.Bench;

/// <summary>
/// The employer a load generator signs as: a certificate issued on the spot by the network's root CA
/// (read from a network directory made by <c>network init</c>, with its passphrase file).
/// </summary>
public sealed record LoadIdentity(string ChainId, Sm2PrivateKey Key, LedgerCertificate Certificate, CreditCode CreditCode, int Validators) : IDisposable
{
    public static LoadIdentity FromNetworkDirectory(string directory)
    {
        var genesisPath = Path.Combine(directory, NetworkLayout.Genesis);
        var passphrasePath = Path.Combine(directory, NetworkLayout.Passphrase);
        if (!File.Exists(genesisPath)) throw new LedgerException(ErrorCode.MissingField, $"no genesis.json in {directory}");
        if (!File.Exists(passphrasePath)) throw new LedgerException(ErrorCode.MissingField, $"no passphrase file in {directory}: bench needs a devnet made by ledger network init or ledger devnet");
        var genesis = GenesisDocument.FromJson(File.ReadAllText(genesisPath));
        var passphrase = File.ReadAllText(passphrasePath).TrimEnd('\r', '\n');
        using var rootKey = KeyFile.Load(Path.Combine(directory, NetworkLayout.CaDirectory, NetworkLayout.RootKey), passphrase, new KeyFileOptions { AllowWeakIterations = true });
        var root = CertificateAuthority.FromCertificate(LedgerCertificate.FromPem(genesis.RootCertificate), rootKey);
        const string first17 = "91440101BENCH0001";
        var creditCode = CreditCode.Parse(first17 + CreditCode.CheckCharacter(first17));
        var key = Sm2PrivateKey.Generate();
        var certificate = root.Issue(new CertificateRequest("Bench Employer Co.", Role.Employer, DivisionCode.Parse("440100"), key.PublicKey,
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), creditCode));
        return new LoadIdentity(genesis.ChainId, key, certificate, creditCode, genesis.Validators.Count);
    }

    public void Dispose() => Key.Dispose();
}

using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Network;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 12, revocation at signing time, through a real <c>ledger node</c> and the CLI: the root CA revokes the
/// employer (<c>ledger ca revoke</c>), a Bureau publishes the CRL on chain (<c>ledger ca publish</c>); the employer's
/// earlier contract still verifies offline, its next one is refused by the chain and its proof fails.
/// </summary>
public class RevocationOnChainTests
{
    private const string Passphrase = "revocation e2e passphrase";

    [Test]
    public async Task A_CRL_published_with_the_CLI_refuses_later_txs_and_leaves_earlier_proofs_valid()
    {
        using var devnet = new DevnetFixture();
        using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
        using var channel = devnet.Channel();
        var client = devnet.Client(channel);
        var dir = devnet.Directory.FullName;
        string Save(string name, string text)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, text);
            return path;
        }
        var env = new Dictionary<string, string> { ["E2E_PASS"] = Passphrase, ["CA_PASS"] = File.ReadAllText(Path.Combine(dir, "passphrase")).Trim() };

        async Task<(string TxId, uint Code)> Register()
        {
            var (envelope, _) = devnet.NewRegistration();
            var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope));
            var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 60_000 });
            return (Convert.ToHexStringLower(submitted.TxId.ToByteArray()), committed.ReceiptCode);
        }
        var before = await Register();
        Assert.That(before.Code, Is.Zero);

        var bureauKey = Sm2PrivateKey.Generate();
        var bureau = devnet.Root.Issue(new CertificateRequest("E2E Province Bureau", Role.Bureau, DivisionCode.Parse("440000"), bureauKey.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
        var bureauKeyPath = Path.Combine(dir, "bureau.key");
        KeyFile.Save(bureauKeyPath, bureauKey, Passphrase, KeyFileOptions.ForTests);
        var bureauPem = Save("bureau.pem", bureau.ToPem());
        var rootPem = Save("root.pem", devnet.Root.Certificate.ToPem());
        var employerPem = Save("employer.pem", devnet.Employer.Certificate!.ToPem());
        var crl = Path.Combine(dir, "root.crl");

        var revoke = LedgerProcess.Run(env, ["ca", "revoke", "--ca-cert", rootPem, "--ca-key", Path.Combine(dir, "ca", "root.key"), "--passphrase-env", "CA_PASS",
            "--allow-weak-kdf", "--cert", employerPem, "--out", crl]);
        Assert.That(revoke.Exit, Is.Zero, revoke.Output);
        var grpc = devnet.GrpcAddress().ToString();
        string[] tls = ["--transport-ca", devnet.Transport.CaPath];
        var publish = LedgerProcess.Run(env, ["ca", "publish", "--crl", crl, "--node", grpc, "--key", bureauKeyPath, "--cert", bureauPem,
            "--passphrase-env", "E2E_PASS", "--allow-weak-kdf", .. tls]);
        Assert.That(publish.Exit, Is.Zero, publish.Output);
        Assert.That(publish.Output, Does.Contain("1 revoked certificate(s)"));

        var again = LedgerProcess.Run(env, ["ca", "publish", "--crl", crl, "--node", grpc, "--key", bureauKeyPath, "--cert", bureauPem,
            "--passphrase-env", "E2E_PASS", "--allow-weak-kdf", .. tls]);
        Assert.That(again.Exit, Is.EqualTo(1), again.Output);
        Assert.That(again.Output, Does.Contain("CrlNotNewer"));

        var after = await Register();
        Assert.That(after.Code, Is.EqualTo((uint)Core.ErrorCode.CertificateRevoked), "the chain refuses the revoked employer's next contract");

        var genesis = Path.Combine(dir, "genesis.json");
        foreach (var (txId, expectedExit, expected) in new[] { (before.TxId, 0, "valid"), (after.TxId, 1, "CertificateRevoked") })
        {
            var proof = Path.Combine(dir, $"{txId}.json");
            // Proofs are read under a certificate: the network's Observer (the employer's own is revoked, and the refused
            // registration made no contract a bureau's scope could hold).
            var get = LedgerProcess.Run(env, ["proof", "get", "--node", grpc, "--tx", txId, "--out", proof, "--cert", Path.Combine(dir, "explorer", "explorer.pem"),
                "--key", Path.Combine(dir, "explorer", "explorer.key"), "--passphrase-env", "CA_PASS", "--allow-weak-kdf", .. tls]);
            Assert.That(get.Exit, Is.Zero, get.Output);
            var verify = LedgerProcess.Run(["proof", "verify", proof, "--genesis", genesis]);
            Assert.That(verify.Exit, Is.EqualTo(expectedExit), verify.Output);
            Assert.That(verify.Output, Does.Contain(expected).IgnoreCase);
        }
    }
}

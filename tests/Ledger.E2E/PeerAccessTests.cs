using Ledger.Client.Access;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// The peer service's block fetch (<c>PeerService.GetBlocks</c>) in a two-validator consortium of real processes: raw
/// blocks for the validators of genesis and observers; any other caller refused, an anonymous one unauthenticated.
/// </summary>
[NonParallelizable]
public class PeerAccessTests
{
    [Test]
    public async Task Peer_block_fetch_is_for_validators_and_observers_only()
    {
        using var devnet = new DevnetFixture(validators: 2);
        var nodes = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToArray();
        try
        {
            for (var i = 0; i < nodes.Length; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            // Height 1 exists once the two validators agree on a block: wait for it with the observer's own fetch.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await AccessControlTests.PeerOutcome(devnet, devnet.Observer) != "ok")
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no block 1 from the peer service");
                await Task.Delay(200);
            }

            var passphrase = File.ReadAllText(Path.Combine(devnet.Directory.FullName, "passphrase")).Trim();
            var name = devnet.ValidatorNames[1];
            var validator = new CallerIdentity(
                LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(devnet.Directory.FullName, "nodes", name, "node.pem"))),
                KeyFile.Load(Path.Combine(devnet.Directory.FullName, "nodes", name, "node.key"), passphrase, KeyFileOptions.ForTests));
            var key = Sm2PrivateKey.Generate();
            var employer = new CallerIdentity(devnet.Root.Issue(new CertificateRequest("Example Co.", Role.Employer, DivisionCode.Parse("440100"), key.PublicKey,
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), devnet.EmployerCreditCode)), key);
            var selfStyledKey = Sm2PrivateKey.Generate();
            var selfStyled = new CallerIdentity(devnet.Root.Issue(new CertificateRequest("not in genesis", Role.Validator, DivisionCode.Parse("440100"), selfStyledKey.PublicKey,
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1))), selfStyledKey);

            Assert.That(await AccessControlTests.PeerOutcome(devnet, validator), Is.EqualTo("ok"));
            Assert.That(await AccessControlTests.PeerOutcome(devnet, devnet.Observer), Is.EqualTo("ok"));
            Assert.That(await AccessControlTests.PeerOutcome(devnet, employer), Is.EqualTo("PermissionDenied/ReadNotPermitted"));
            Assert.That(await AccessControlTests.PeerOutcome(devnet, selfStyled), Is.EqualTo("PermissionDenied/ReadNotPermitted"));
            Assert.That(await AccessControlTests.PeerOutcome(devnet, null), Is.EqualTo("Unauthenticated/CallerCredentialsMissing"));
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }
}

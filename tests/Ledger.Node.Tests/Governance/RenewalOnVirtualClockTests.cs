using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Governance;

/// <summary>
/// A consortium with the guangdong preset's lifetimes (root 20 years, city CAs and every other certificate 5) lives past
/// the 5 years on a virtual clock without a stop: three months before the end, the validators vote in Guangzhou's
/// successor CA and give each of themselves a new certificate; past the old expiry the chain goes on, the renewed parties'
/// txs commit, the expired ones' are refused, the old CA is retired — and the proofs of the first block and of the last
/// both verify offline, in C# and in JavaScript.
/// </summary>
public class RenewalOnVirtualClockTests
{
    private const int Delay = 4;
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    [Test]
    public void A_network_renews_its_ca_and_validator_certificates_before_five_years_and_old_proofs_still_verify()
    {
        var consortium = new TestConsortium(validators: 4, lifetimes: (20, 5, 5));
        var c = new GovernanceChain(consortium, Delay);
        c.Keys.AddRange(consortium.Validators);

        // Year 0: a contract of an employer under Guangzhou's first CA.
        var employer = consortium.Employer;
        var first = c.Commit(consortium.Transaction(consortium.Register("GZ-2026-0001", Sm3.Hash("first"u8)), employer, [employer], expiresAt: c.Clock.GetUtcNow().AddMinutes(10)));
        Assert.That(first.Code, Is.EqualTo(ErrorCode.Ok), first.Message);
        var firstProof = c.Ledger.GetEvidence(first.TxId)!;

        // Year 4¾: the renewal, while every certificate is still good.
        c.Clock.Advance(4 * Year + TimeSpan.FromDays(270));
        var now = c.Clock.GetUtcNow();
        var successor = consortium.Root.IssueIntermediate("Guangzhou HRSS CA 2031", TestConsortium.Guangzhou, Sm2PrivateKey.Generate(), now.AddDays(-1), now.AddYears(5));
        var caFrom = c.Height + 8;
        c.Pass(new ProposeAuthorityChangePayload { Change = AuthorityChange.Renew, Certificate = successor.Certificate.Der, Authority = consortium.GuangzhouCa.Certificate.Id, EffectiveHeight = caFrom });
        c.BlocksUntil(caFrom);

        // Each validator a new certificate (and a new key) for the same name: province's from the root, the cities' from the successor.
        var renewed = new List<TestParty>();
        foreach (var validator in consortium.Validators)
        {
            var issuer = validator.Certificate!.Division == TestConsortium.Province ? consortium.Root : successor;
            var key = Sm2PrivateKey.Generate();
            var certificate = issuer.Issue(new CertificateRequest(validator.Name, Role.Validator, validator.Certificate.Division, key.PublicKey, now.AddDays(-1), now.AddYears(5)));
            var next = new TestParty(validator.Name, key, certificate);
            renewed.Add(next);
            c.Keys.Add(next);
            c.Pass(new ProposeValidatorChangePayload { Change = ValidatorChange.Replace, Name = validator.Name, Certificate = certificate.Der, EffectiveHeight = c.Height + Delay + 6 });
        }
        var employerKey = Sm2PrivateKey.Generate();
        var renewedEmployer = new TestParty(employer.Name, employerKey,
            successor.Issue(new CertificateRequest(employer.Name, Role.Employer, TestConsortium.Guangzhou, employerKey.PublicKey, now.AddDays(-1), now.AddYears(5), consortium.EmployerCreditCode)));
        c.BlocksUntil(c.Height + Delay + 8);
        var set = c.Sets.At(c.Height + 1);
        Assert.That(renewed.All(r => set.Find(r.Certificate!.Id) is not null) && consortium.Validators.All(v => set.Find(v.Certificate!.Id) is null),
            "the set is the renewed certificates, none of the old");

        // Year 5¼: every first-generation certificate but the root's has expired. The chain goes on.
        c.Clock.Advance(TimeSpan.FromDays(180));
        var headBefore = c.Height;
        c.BlocksUntil(headBefore + 3);
        var late = c.Ledger.Submit(consortium.Transaction(consortium.Register("GZ-2031-LATE", Sm3.Hash("late"u8)), employer, [employer], expiresAt: c.Clock.GetUtcNow().AddMinutes(10)).Encode());
        Assert.That(late.Result.Code, Is.EqualTo(ErrorCode.CertificateExpired), "the employer's first certificate is past its 5 years");
        var last = c.Commit(consortium.Transaction(consortium.Register("GZ-2031-0002", Sm3.Hash("last"u8)), renewedEmployer, [renewedEmployer], expiresAt: c.Clock.GetUtcNow().AddMinutes(10)));
        Assert.That(last.Code, Is.EqualTo(ErrorCode.Ok), last.Message);

        // The first CA, expired, is retired by vote: no validator depends on it any more.
        c.Pass(new ProposeAuthorityChangePayload { Change = AuthorityChange.Retire, Authority = consortium.GuangzhouCa.Certificate.Id, EffectiveHeight = c.Height + Delay + 6 });
        c.BlocksUntil(c.Height + Delay + 6);
        var afterRetirement = c.Commit(consortium.Transaction(consortium.Register("GZ-2031-0003", Sm3.Hash("after"u8)), renewedEmployer, [renewedEmployer], expiresAt: c.Clock.GetUtcNow().AddMinutes(10)));
        Assert.That(afterRetirement.Code, Is.EqualTo(ErrorCode.Ok), afterRetirement.Message);

        // Proofs: the year-0 one, kept since, and today's of the same chain, each checked at its own block's time.
        var lastProof = c.Ledger.GetEvidence(afterRetirement.TxId)!;
        foreach (var (name, proof) in new[] { ("year 0, kept", firstProof), ("year 0, fetched today", c.Ledger.GetEvidence(first.TxId)!), ("year 5", lastProof) })
        {
            var report = EvidenceVerifier.Verify(proof, consortium.Genesis);
            Assert.That(report.Result.IsValid, Is.True, $"{name}: {report.Result}");
        }
        Assert.That(lastProof.ValidatorCheckpoints, Has.Count.EqualTo(4), "one checkpoint per block that replaced a validator");
        Assert.That(JsCodes(consortium, firstProof, lastProof), Is.EqualTo(new[] { "Ok", "Ok" }));

        // The premise held: by the last block every first-generation certificate but the root's had expired.
        var lastTime = DateTimeOffset.FromUnixTimeMilliseconds(c.Ledger.GetBlock(c.Height)!.Header.Timestamp);
        Assert.That(consortium.Validators.Select(v => v.Certificate!.NotAfter).Append(consortium.GuangzhouCa.Certificate.NotAfter).Append(employer.Certificate!.NotAfter),
            Has.All.LessThan(lastTime));
        // And a proof that hides the replacements is refused: the set of its height must derive from genesis.
        var hidden = EvidenceVerifier.Verify(lastProof with { ValidatorCheckpoints = null }, consortium.Genesis);
        Assert.That(hidden.Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet));
    }

    private static string[] JsCodes(TestConsortium consortium, params EvidenceProof[] proofs)
    {
        var directory = JsVerifier.Install();
        var work = Directory.CreateTempSubdirectory("js-renewal-").FullName;
        try
        {
            var genesis = Path.Combine(work, "genesis.json");
            File.WriteAllText(genesis, consortium.Genesis.ToJson());
            return [.. proofs.Select(proof =>
            {
                var file = Path.Combine(work, $"{Guid.NewGuid():N}.json");
                File.WriteAllText(file, proof.ToJson());
                var run = ProcessRunner.Run("node", ["verify.js", file, "--genesis", genesis], directory);
                return System.Text.Json.JsonDocument.Parse(run.StdOut).RootElement.GetProperty("code").GetString()!;
            })];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

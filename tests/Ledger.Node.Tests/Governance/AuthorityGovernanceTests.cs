using Ledger.Chain.Governance;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Core.Revocation;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Governance;

/// <summary>
/// City CAs changed by vote on a real chain: a CA added for a new division counts from its height (not before), a successor
/// with a new key serves beside its predecessor, a retired CA's certificates are refused from its height on every node alike
/// while proofs of what it endorsed before still verify, the schedule survives a restart, and every proposal that cannot
/// apply is refused with a reason.
/// </summary>
public class AuthorityGovernanceTests
{
    private const int Delay = 4;
    private static readonly DivisionCode Foshan = DivisionCode.Parse("440600");

    private static GovernanceChain NewChain(out TestConsortium consortium)
    {
        consortium = new TestConsortium(validators: 4);
        var chain = new GovernanceChain(consortium, Delay);
        chain.Keys.AddRange(consortium.Validators);
        return chain;
    }

    private static CertificateAuthority NewCa(TestConsortium consortium, string name, DivisionCode division) =>
        consortium.Root.IssueIntermediate(name, division, Sm2PrivateKey.Generate(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));

    private static ProposeAuthorityChangePayload Add(CertificateAuthority ca, ulong at) =>
        new() { Change = AuthorityChange.Add, Certificate = ca.Certificate.Der, EffectiveHeight = at };

    private static ProposeAuthorityChangePayload Renew(CertificateAuthority predecessor, CertificateAuthority successor, ulong at) =>
        new() { Change = AuthorityChange.Renew, Certificate = successor.Certificate.Der, Authority = predecessor.Certificate.Id, EffectiveHeight = at };

    private static ProposeAuthorityChangePayload Retire(CertificateAuthority ca, ulong at) =>
        new() { Change = AuthorityChange.Retire, Authority = ca.Certificate.Id, EffectiveHeight = at };

    /// <summary>An employer under <paramref name="ca"/> registers a contract it alone signs; the receipt of its block.</summary>
    private static (Hash32 TxId, Core.Blocks.Receipt Receipt) RegisterUnder(GovernanceChain c, CertificateAuthority ca, string contractId, string creditCode17)
    {
        var creditCode = TestConsortium.MakeCreditCode(creditCode17);
        var employer = c.Consortium.Party(ca, "employer of " + contractId, Role.Employer, ca.Certificate.Division, creditCode);
        var payload = c.Consortium.Register(contractId, Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(contractId))) with { EmployerCreditCode = creditCode.Value };
        var envelope = c.Consortium.Transaction(payload, employer, [employer], expiresAt: c.Clock.GetUtcNow().AddMinutes(10));
        var submitted = c.Ledger.Submit(envelope.Encode());
        Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
        c.Block();
        return (submitted.TxId!.Value, c.Ledger.GetTransaction(submitted.TxId!.Value)!.Receipt);
    }

    [Test]
    public void A_city_ca_added_by_vote_counts_from_its_height_and_its_certificates_prove_offline()
    {
        var c = NewChain(out var consortium);
        var foshan = NewCa(consortium, "Foshan HRSS CA", Foshan);
        var employer = consortium.Party(foshan, "Foshan Example Co.", Role.Employer, Foshan, TestConsortium.MakeCreditCode("91440604708300011"));
        var early = consortium.Transaction(consortium.Register("FS-EARLY", Sm3.Hash("early"u8)), employer, [employer], expiresAt: c.Clock.GetUtcNow().AddMinutes(10));
        Assert.That(c.Ledger.Submit(early.Encode()).Result.Code, Is.EqualTo(ErrorCode.UntrustedCertificate), "before the vote the chain knows no Foshan CA");

        var effective = c.Height + 12;
        c.Pass(Add(foshan, effective));
        Assert.That(c.Authorities.Schedule.Entries, Has.Count.EqualTo(3));
        Assert.That(c.Authorities.Schedule.Entries[^1].FromHeight, Is.EqualTo(effective));

        // Voted in, not yet counting: admitted (every node can build its chain), refused in the block, the same everywhere.
        var (_, before) = RegisterUnder(c, foshan, "FS-1", "91440604708300011");
        Assert.That(before.Code, Is.EqualTo(ErrorCode.AuthorityNotCounting), before.Message);
        Assert.That(before.Message, Does.Contain($"counts only from height {effective}"));

        c.BlocksUntil(effective - 1);
        var (txId, after) = RegisterUnder(c, foshan, "FS-2", "91440604708300011");
        Assert.That(after.Code, Is.EqualTo(ErrorCode.Ok), after.Message);

        var proof = c.Ledger.GetEvidence(txId)!;
        Assert.That(proof.Intermediates, Has.Count.EqualTo(3), "the proof carries the CA that issued its endorsement");
        var report = EvidenceVerifier.Verify(proof, consortium.Genesis);
        Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
        // Without the voted-in CA a verifier cannot chain the employer's certificate: the proof fails rather than passing on trust.
        var stripped = EvidenceVerifier.Verify(proof with { Intermediates = [.. proof.Intermediates.Take(2)] }, consortium.Genesis);
        Assert.That(stripped.Result.IsValid, Is.False);
    }

    [Test]
    public void The_JavaScript_verifier_chains_through_a_voted_in_ca_as_the_csharp_one_does()
    {
        var c = NewChain(out var consortium);
        var foshan = NewCa(consortium, "Foshan HRSS CA", Foshan);
        var effective = c.Height + 8;
        c.Pass(Add(foshan, effective));
        c.BlocksUntil(effective);
        var (txId, receipt) = RegisterUnder(c, foshan, "FS-JS", "91440604708300011");
        Assert.That(receipt.Code, Is.EqualTo(ErrorCode.Ok), receipt.Message);
        var proof = c.Ledger.GetEvidence(txId)!;
        var stripped = proof with { Intermediates = [.. proof.Intermediates.Take(2)] };
        var directory = JsVerifier.Install();
        var work = Directory.CreateTempSubdirectory("js-authorities-").FullName;
        try
        {
            var genesis = Path.Combine(work, "genesis.json");
            File.WriteAllText(genesis, consortium.Genesis.ToJson());
            string Js(string json)
            {
                var file = Path.Combine(work, $"{Guid.NewGuid():N}.json");
                File.WriteAllText(file, json);
                var run = ProcessRunner.Run("node", ["verify.js", file, "--genesis", genesis], directory);
                return System.Text.Json.JsonDocument.Parse(run.StdOut).RootElement.GetProperty("code").GetString()!;
            }
            Assert.That(Js(proof.ToJson()), Is.EqualTo("Ok"));
            Assert.That(Js(stripped.ToJson()), Is.EqualTo(EvidenceVerifier.Verify(stripped, consortium.Genesis).Result.Code.ToString()),
                "without the CA both verifiers refuse, with the same code");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public void A_successor_serves_beside_its_predecessor_until_the_old_one_is_retired_and_old_proofs_still_verify()
    {
        var c = NewChain(out var consortium);
        var shenzhen = consortium.ShenzhenCa;
        var (oldTx, oldReceipt) = RegisterUnder(c, shenzhen, "SZ-OLD", "91440300708461136");
        Assert.That(oldReceipt.Code, Is.EqualTo(ErrorCode.Ok), oldReceipt.Message);

        var successor = NewCa(consortium, "Shenzhen HRSS CA 2031", TestConsortium.Shenzhen);
        var renewed = c.Height + 8;
        c.Pass(Renew(shenzhen, successor, renewed));
        c.BlocksUntil(renewed);
        Assert.That(RegisterUnder(c, successor, "SZ-NEW", "91440300708461136").Receipt.Code, Is.EqualTo(ErrorCode.Ok), "the successor counts");
        Assert.That(RegisterUnder(c, shenzhen, "SZ-STILL", "91440300708461136").Receipt.Code, Is.EqualTo(ErrorCode.Ok), "the predecessor still counts");

        var retired = c.Height + 8;
        c.Pass(Retire(shenzhen, retired));
        c.BlocksUntil(retired - 1);
        var (_, refused) = RegisterUnder(c, shenzhen, "SZ-LATE", "91440300708461136");
        Assert.That(refused.Code, Is.EqualTo(ErrorCode.AuthorityNotCounting), refused.Message);
        Assert.That(refused.Message, Does.Contain($"retired at height {retired}"));
        Assert.That(RegisterUnder(c, successor, "SZ-NEWER", "91440300708461136").Receipt.Code, Is.EqualTo(ErrorCode.Ok));

        // What the retired CA's certificates endorsed before its height stays proven.
        var report = EvidenceVerifier.Verify(c.Ledger.GetEvidence(oldTx)!, consortium.Genesis);
        Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
    }

    [Test]
    public void The_chain_names_its_cas_and_a_relying_party_trusts_those_counting_under_the_root()
    {
        var c = NewChain(out var consortium);
        var root = consortium.Root.Certificate;
        var foshan = NewCa(consortium, "Foshan HRSS CA", Foshan);
        var foshanWorker = consortium.WorkerOf("foshan", foshan).Certificate!;
        var shenzhenWorker = consortium.WorkerOf("shenzhen", consortium.ShenzhenCa).Certificate!;
        Client.ChainAuthorities Named() => new(c.Ledger.GetAuthorities().Height,
            [.. c.Ledger.GetAuthorities().Authorities.Select(a => new Client.ChainAuthority(LedgerCertificate.FromDer(a.Certificate.ToArray()), a.FromHeight, a.UntilHeight == 0 ? null : a.UntilHeight))]);
        bool Trusted(LedgerCertificate certificate) => Named().TrustedAt(root, DateTimeOffset.UtcNow).Validate(certificate, DateTimeOffset.UtcNow).IsValid;

        Assert.That(c.Ledger.GetAuthorities().Authorities.Select(a => a.FromHeight), Is.EqualTo(new ulong[] { 1, 1 }), "genesis's two CAs, from height 1");
        Assert.That(Trusted(shenzhenWorker), Is.True);
        Assert.That(Trusted(foshanWorker), Is.False, "no Foshan CA before the vote");

        var effective = c.Height + 10;
        c.Pass(Add(foshan, effective));
        Assert.That(Named().Authorities[^1].Certificate.Id, Is.EqualTo(foshan.Certificate.Id));
        Assert.That(Named().Authorities[^1].FromHeight, Is.EqualTo(effective));
        Assert.That(Trusted(foshanWorker), Is.False, "voted in, not counting yet");
        c.BlocksUntil(effective - 1);
        Assert.That(Named().Height, Is.EqualTo(effective - 1));
        Assert.That(Trusted(foshanWorker), Is.True, "counts at the next height");

        var retired = c.Height + 10;
        c.Pass(Retire(consortium.ShenzhenCa, retired));
        c.BlocksUntil(retired - 1);
        Assert.That(Named().Authorities.Single(a => a.Certificate.Id == consortium.ShenzhenCa.Certificate.Id).UntilHeight, Is.EqualTo(retired));
        Assert.That(Trusted(shenzhenWorker), Is.False, "a retired CA is not trusted");

        // A node cannot make a CA up: one not certified by genesis's root is left out whatever the list says.
        var otherRoot = CertificateAuthority.CreateRoot("Another province", DivisionCode.Parse("440000"), Sm2PrivateKey.Generate(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var forged = otherRoot.IssueIntermediate("Forged HRSS CA", Foshan, Sm2PrivateKey.Generate(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        var forgedWorker = consortium.WorkerOf("forged", forged).Certificate!;
        var lying = Named() with { Authorities = [.. Named().Authorities, new Client.ChainAuthority(forged.Certificate, 1, null)] };
        Assert.That(lying.TrustedAt(root, DateTimeOffset.UtcNow).Validate(forgedWorker, DateTimeOffset.UtcNow).IsValid, Is.False);
    }

    [Test]
    public void A_ca_that_governance_added_may_publish_its_crl_on_chain()
    {
        var c = NewChain(out var consortium);
        var foshan = NewCa(consortium, "Foshan HRSS CA", Foshan);
        var effective = c.Height + 8;
        c.Pass(Add(foshan, effective));
        c.BlocksUntil(effective);
        var employer = consortium.Party(foshan, "Foshan Example Co.", Role.Employer, Foshan, TestConsortium.MakeCreditCode("91440604708300011"));
        var crl = foshan.IssueCrl([RevokedCertificate.Of(employer.Certificate!, c.Clock.GetUtcNow().AddMinutes(-1))], c.Clock.GetUtcNow().AddMinutes(-1), c.Clock.GetUtcNow().AddDays(7));
        var body = new PublishCrlPayload { Crl = crl.Der }.CreateBody(consortium.ChainId, 900, c.Clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds(), consortium.Bureau.Certificate!.Id);
        var (_, receipt) = c.Commit(body, consortium.Bureau);
        Assert.That(receipt.Code, Is.EqualTo(ErrorCode.Ok), receipt.Message);
        Assert.That(c.Ledger.Store.OpenState().Get(RevocationKeys.Revoked(foshan.Certificate.Id, employer.Certificate!.SerialNumberBytes)), Is.Not.Null);
    }

    [Test]
    public void A_restarted_node_reads_the_ca_schedule_back_and_trusts_the_added_ca()
    {
        var c = NewChain(out var consortium);
        var foshan = NewCa(consortium, "Foshan HRSS CA", Foshan);
        var effective = c.Height + 8;
        c.Pass(Add(foshan, effective));

        var restarted = new GovernanceChain(consortium, Delay, c.Kv);
        restarted.Keys.AddRange(consortium.Validators);
        Assert.That(restarted.Authorities.Schedule.Entries, Has.Count.EqualTo(3));
        restarted.BlocksUntil(effective);
        Assert.That(RegisterUnder(restarted, foshan, "FS-R", "91440604708300011").Receipt.Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void A_ca_proposal_that_cannot_apply_is_refused_with_its_reason()
    {
        var c = NewChain(out var consortium);
        var v = consortium.Validators;
        var at = c.Height + 20;
        void Refused(ProposeAuthorityChangePayload change, ErrorCode code, string because, string? containing = null)
        {
            var receipt = c.Propose(change, v[0]).Receipt;
            Assert.That(receipt.Code, Is.EqualTo(code), because + ": " + receipt.Message);
            if (containing is not null) Assert.That(receipt.Message, Does.Contain(containing), because);
        }

        var foshan = NewCa(consortium, "Foshan HRSS CA", Foshan);
        Refused(Add(foshan, c.Height + 2), ErrorCode.EffectiveHeightTooSoon, "too soon");
        Refused(Add(NewCa(consortium, "Guangzhou HRSS CA bis", TestConsortium.Guangzhou), at), ErrorCode.InvalidProposal, "a division already served", "is a Renew");
        var foreign = new TestConsortium(validators: 1, chainId: "other");
        Refused(Add(NewCa(foreign, "Foshan of another root", Foshan), at), ErrorCode.InvalidProposal, "another consortium's root");
        var endEntity = consortium.Party(consortium.Root, "not a CA", Role.Bureau, Foshan);
        Refused(new() { Change = AuthorityChange.Add, Certificate = endEntity.Certificate!.Der, EffectiveHeight = at }, ErrorCode.InvalidProposal, "an end-entity certificate", "not a city CA");
        Refused(new() { Change = AuthorityChange.Add, Certificate = consortium.GuangzhouCa.Certificate.Der, EffectiveHeight = at }, ErrorCode.InvalidProposal, "a CA already on chain", "already a CA");

        var sameKey = consortium.Root.IssueIntermediateCertificate("Shenzhen HRSS CA (same key)", TestConsortium.Shenzhen,
            consortium.ShenzhenCa.Certificate.PublicKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        Refused(new() { Change = AuthorityChange.Renew, Certificate = sameKey.Der, Authority = consortium.ShenzhenCa.Certificate.Id, EffectiveHeight = at },
            ErrorCode.InvalidProposal, "a successor with its predecessor's key", "new key");
        Refused(Renew(consortium.ShenzhenCa, foshan, at), ErrorCode.InvalidProposal, "a successor for another division", "serves division");
        Refused(Renew(foshan, NewCa(consortium, "Foshan 2", Foshan), at), ErrorCode.InvalidProposal, "the predecessor is no CA of the chain");

        Refused(Retire(foshan, at), ErrorCode.InvalidProposal, "not a CA of the chain");
        Refused(Retire(consortium.GuangzhouCa, at), ErrorCode.InvalidProposal, "it issued validators of the set", "replace that validator first");

        var bureau = c.Propose(Retire(consortium.ShenzhenCa, at), consortium.Bureau).Receipt;
        Assert.That(bureau.Code, Is.EqualTo(ErrorCode.GovernanceRoleNotAllowed), "a Bureau certificate does not vote");

        // Retired once, a CA cannot be retired again from a later height.
        c.Pass(Retire(consortium.ShenzhenCa, at));
        Refused(Retire(consortium.ShenzhenCa, at + 5), ErrorCode.InvalidProposal, "already retired by then", "does not count");
    }

    [Test]
    public void The_ca_proposal_payload_refuses_malformed_shapes()
    {
        var der = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 };
        Assert.Throws<LedgerException>(() => ProposeAuthorityChangePayload.Decode(new ProposeAuthorityChangePayload { Change = AuthorityChange.Add, EffectiveHeight = 5 }.Encode()), "an Add without a certificate");
        Assert.Throws<LedgerException>(() => ProposeAuthorityChangePayload.Decode(new ProposeAuthorityChangePayload { Change = AuthorityChange.Add, Certificate = der, Authority = Hash32.Zero, EffectiveHeight = 5 }.Encode()), "an Add naming a predecessor");
        Assert.Throws<LedgerException>(() => ProposeAuthorityChangePayload.Decode(new ProposeAuthorityChangePayload { Change = AuthorityChange.Renew, Certificate = der, EffectiveHeight = 5 }.Encode()), "a Renew naming no predecessor");
        Assert.Throws<LedgerException>(() => ProposeAuthorityChangePayload.Decode(new ProposeAuthorityChangePayload { Change = AuthorityChange.Retire, Certificate = der, Authority = Hash32.Zero, EffectiveHeight = 5 }.Encode()), "a Retire with a certificate");
        Assert.Throws<LedgerException>(() => ProposeAuthorityChangePayload.Decode(new ProposeAuthorityChangePayload { Change = (AuthorityChange)9, Authority = Hash32.Zero, EffectiveHeight = 5 }.Encode()));
        Assert.Throws<LedgerException>(() => ProposeAuthorityChangePayload.Decode(new ProposeAuthorityChangePayload { Change = AuthorityChange.Retire, Authority = Hash32.Zero, EffectiveHeight = 0 }.Encode()), "no effective height");
        var retire = new ProposeAuthorityChangePayload { Change = AuthorityChange.Retire, Authority = Sm3.Hash("ca"u8), EffectiveHeight = 40 };
        Assert.That(ProposeAuthorityChangePayload.Decode(retire.Encode()), Is.EqualTo(retire));
        var schedule = new AuthoritySchedule([new ScheduledAuthority(der, 1, 30), new ScheduledAuthority(der, 20)]);
        Assert.That(AuthoritySchedule.Decode(schedule.Encode()).Entries, Is.EqualTo(schedule.Entries));
        Assert.Throws<LedgerException>(() => new AuthoritySchedule([new ScheduledAuthority(der, 10, 10)]), "retired where it starts");
    }
}

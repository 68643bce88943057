using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.TestKit.Network;

/// <summary>
/// A small consortium for tests, made in memory: the province's root CA, Guangzhou's and Shenzhen's city
/// CAs, validators, an employer with a valid credit code, a bureau, an integrator and a worker with a
/// Worker certificate naming its pseudonym; its genesis; and signed txs for the labour-contract lifecycle.
/// </summary>
public sealed class TestConsortium
{
    public static readonly DivisionCode Province = DivisionCode.Parse("440000");
    public static readonly DivisionCode Guangzhou = DivisionCode.Parse("440100");
    public static readonly DivisionCode Shenzhen = DivisionCode.Parse("440300");

    /// <summary>A valid place of work: a county of Guangzhou (Tianhe district).</summary>
    public const string PlaceOfWork = "440106000000";

    private readonly DateTimeOffset _now;
    private readonly (int Root, int Ca, int Party) _lifetimes;
    private ulong _nonce = 1;

    /// <param name="lifetimes">Years the root, the city CAs and every other certificate last (default 3, 2 and 1; the guangdong
    /// preset's are 20, 5 and 5).</param>
    public TestConsortium(int validators = 1, string chainId = "gd-test", DateTimeOffset? now = null, (int Root, int Ca, int Party)? lifetimes = null)
    {
        _now = now ?? DateTimeOffset.UtcNow;
        _lifetimes = lifetimes ?? (3, 2, 1);
        ChainId = chainId;
        var notBefore = _now.AddDays(-1);
        var notAfter = _now.AddYears(_lifetimes.Ca);
        RootKey = Sm2PrivateKey.Generate();
        Root = CertificateAuthority.CreateRoot("Guangdong HRSS Root CA", Province, RootKey, notBefore, _now.AddYears(_lifetimes.Root));
        GuangzhouCa = Root.IssueIntermediate("Guangzhou HRSS CA", Guangzhou, Sm2PrivateKey.Generate(), notBefore, notAfter);
        ShenzhenCa = Root.IssueIntermediate("Shenzhen HRSS CA", Shenzhen, Sm2PrivateKey.Generate(), notBefore, notAfter);

        Validators = Enumerable.Range(0, validators)
            .Select(i => Party(i == 0 ? Root : GuangzhouCa, $"validator-{i}", Role.Validator, i == 0 ? Province : Guangzhou))
            .ToArray();
        EmployerCreditCode = MakeCreditCode("91440101708300011");
        Employer = Party(GuangzhouCa, "Guangzhou Example Co.", Role.Employer, Guangzhou, EmployerCreditCode);
        OtherEmployer = Party(ShenzhenCa, "Shenzhen Example Co.", Role.Employer, Shenzhen, MakeCreditCode("91440300708461136"));
        Bureau = Party(GuangzhouCa, "Guangzhou HRSS Bureau", Role.Bureau, Guangzhou);
        Integrator = Party(GuangzhouCa, "HR SaaS Ltd", Role.Integrator, Guangzhou);
        Worker = WorkerOf("worker");

        Genesis = new GenesisDocument
        {
            ProtocolVersion = Ledger.Core.Governance.ProtocolVersions.Current,
            ChainId = chainId,
            NetworkName = "test",
            GenesisTime = _now.AddMinutes(-1).ToUnixTimeMilliseconds(),
            RootCertificate = Root.Certificate.ToPem(),
            IntermediateCertificates = [GuangzhouCa.Certificate.ToPem(), ShenzhenCa.Certificate.ToPem()],
            Validators = Validators.Select(v => new GenesisValidator(v.Name, v.Certificate!.Division.Value, v.Certificate.ToPem())).ToArray(),
            Consensus = new ConsensusParameters { BlockIntervalMs = 20 },
        };
        GenesisBytes = System.Text.Encoding.UTF8.GetBytes(Genesis.ToJson());
    }

    public string ChainId { get; }
    public Sm2PrivateKey RootKey { get; }
    public CertificateAuthority Root { get; }
    public CertificateAuthority GuangzhouCa { get; }
    public CertificateAuthority ShenzhenCa { get; }
    public IReadOnlyList<TestParty> Validators { get; }
    public CreditCode EmployerCreditCode { get; }
    public TestParty Employer { get; }
    public TestParty OtherEmployer { get; }
    public TestParty Bureau { get; }
    public TestParty Integrator { get; }
    public TestParty Worker { get; }
    public GenesisDocument Genesis { get; }
    public byte[] GenesisBytes { get; }

    public CertificateChainValidator ChainValidator(params CertificateRevocationList[] crls) =>
        new(Root.Certificate, [GuangzhouCa.Certificate, ShenzhenCa.Certificate], crls);

    public TestParty Party(CertificateAuthority issuer, string name, Role role, DivisionCode division, CreditCode? creditCode = null)
    {
        var key = Sm2PrivateKey.Generate();
        var certificate = issuer.Issue(new CertificateRequest(name, role, division, key.PublicKey, _now.AddDays(-1), _now.AddYears(_lifetimes.Party), creditCode));
        return new TestParty(name, key, certificate);
    }

    public static CreditCode MakeCreditCode(string first17) => CreditCode.Parse(first17 + CreditCode.CheckCharacter(first17));

    /// <summary>The pseudonym of the test person <paramref name="seed"/> (a stand-in for HMAC-SM3 of an ID number under the province key).</summary>
    public static Hash32 WorkerPseudonym(string seed) => Sm3.Hash(System.Text.Encoding.UTF8.GetBytes("pseudonym:" + seed));

    /// <summary>A Worker certificate from the Guangzhou CA for the test person <paramref name="seed"/>; <see cref="Register"/> names <c>WorkerOf(contractId)</c>.</summary>
    public TestParty WorkerOf(string seed, CertificateAuthority? issuer = null)
    {
        var key = Sm2PrivateKey.Generate();
        var certificate = (issuer ?? GuangzhouCa).Issue(new CertificateRequest("worker", Role.Worker, (issuer ?? GuangzhouCa).Certificate.Division, key.PublicKey,
            _now.AddDays(-1), _now.AddYears(_lifetimes.Party), null, WorkerPseudonym(seed)));
        return new TestParty("worker " + seed, key, certificate);
    }

    public RegisterPayload Register(string contractId, Hash32 document) => new()
    {
        ContractId = contractId,
        DocumentHash = document,
        DocumentFormat = DocumentFormat.Pdf,
        EmployerCreditCode = EmployerCreditCode.Value,
        WorkerPseudonym = WorkerPseudonym(contractId),
        Terms = new ContractTerms
        {
            Type = ContractType.FixedTerm,
            Start = ContractDate.Create(2026, 1, 1),
            End = ContractDate.Create(2028, 12, 31),
            ProbationEnd = ContractDate.Create(2026, 2, 28),
            PlaceOfWork = PlaceOfWork,
            Industry = "I6510",
        },
    };

    /// <summary>A signed envelope: the submitter signs the body; each party signs the payload's statement.</summary>
    public TxEnvelope Transaction(IContractPayload payload, TestParty submitter, IEnumerable<TestParty> statementSigners, ulong? nonce = null, DateTimeOffset? expiresAt = null, string? chainId = null)
    {
        var statement = ContractPayloads.StatementFor(payload, chainId ?? ChainId, Sm3Hasher.Instance).SigningMessage();
        var statements = statementSigners.Select(signer => signer.Certificate is null
            ? new Endorsement { PublicKey = signer.Key.PublicKey.ToBytes(), Signature = signer.Key.Sign(statement), Scope = EndorsementScope.Statement }
            : new Endorsement { Certificate = signer.Certificate.Der, Signature = signer.Key.Sign(statement), Scope = EndorsementScope.Statement }).ToList();
        TxEndorser[] endorsers = [new(submitter.Certificate!.Id, EndorsementScope.Body), .. statements.Select(e => TxEndorser.Of(e, Sm3Hasher.Instance))];
        var body = ContractPayloads.CreateBody(payload, chainId ?? ChainId, nonce ?? _nonce++, (expiresAt ?? DateTimeOffset.UtcNow.AddMinutes(10)).ToUnixTimeMilliseconds(), submitter.Certificate.Id, endorsers);
        var bodyBytes = body.Encode();
        var endorsements = new List<Endorsement>
        {
            new() { Certificate = submitter.Certificate.Der, Signature = submitter.Key.Sign(bodyBytes), Scope = EndorsementScope.Body },
        };
        endorsements.AddRange(statements);
        return new TxEnvelope { BodyBytes = bodyBytes, Endorsements = endorsements };
    }
}

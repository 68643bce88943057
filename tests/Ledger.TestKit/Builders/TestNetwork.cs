using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.TestKit.Builders;

/// <summary>
/// A consortium in miniature with real SM2 keys and certificates: the province root CA (440000), the Guangzhou
/// city CA (440100), <c>n</c> validators certified by the city CA, an employer, an integrator, a worker (a Worker
/// certificate naming the pseudonym of <see cref="WorkerIdNumber"/> under <see cref="PseudonymKey"/>), and the
/// genesis.json that names them. Certificates are valid from 2024 to 2044; blocks default to 2024-06-01.
/// </summary>
public sealed class TestNetwork
{
    public const string DefaultChainId = "gd-labour-test";
    public static readonly DateTimeOffset NotBefore = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NotAfter = new(2044, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset DefaultBlockTime = new(2024, 6, 1, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A valid unified social credit code (check character computed) of a Guangzhou employer.</summary>
    public static readonly CreditCode EmployerCreditCode = CreditCode.Parse("91440101MA59ABCD1" + CreditCode.CheckCharacter("91440101MA59ABCD1"));

    /// <summary>The province's pseudonym key of every test network: one key, so one person has one pseudonym everywhere.</summary>
    public static readonly byte[] PseudonymKey = Sm3.Hash("test province pseudonym key"u8).ToArray();

    /// <summary>The fixture worker's resident identity number (a made-up, well-formed one: it must never reach a block, a log or a page).</summary>
    public const string WorkerIdNumber = "440106199001011235";

    public static Hash32 PseudonymOf(string idNumber) => WorkerPseudonym.Compute(PseudonymKey, idNumber);

    /// <summary>The fixture worker's pseudonym: what <see cref="TestContracts"/> payloads name.</summary>
    public static Hash32 WorkerPseudonymValue { get; } = PseudonymOf(WorkerIdNumber);

    private TestNetwork(string chainId, CertificateAuthority root, CertificateAuthority city, IReadOnlyList<TestIdentity> validators, TestIdentity employer, TestIdentity integrator, TestIdentity worker, Sm2PrivateKey rootKey, Sm2PrivateKey cityKey)
    {
        Worker = worker;
        ChainId = chainId;
        Root = root;
        City = city;
        Validators = validators;
        Employer = employer;
        Integrator = integrator;
        RootKey = rootKey;
        CityKey = cityKey;
        Genesis = new GenesisDocument
        {
            ProtocolVersion = Ledger.Core.Governance.ProtocolVersions.Current,
            ChainId = chainId,
            NetworkName = $"test network {chainId}",
            GenesisTime = NotBefore.ToUnixTimeMilliseconds(),
            RootCertificate = root.Certificate.ToPem(),
            IntermediateCertificates = [city.Certificate.ToPem()],
            Validators = validators.Select(v => new GenesisValidator(v.Name, v.Certificate.Division.Value, v.Certificate.ToPem())).ToArray(),
            Consensus = new ConsensusParameters(),
        };
    }

    public string ChainId { get; }
    public CertificateAuthority Root { get; }
    public CertificateAuthority City { get; }
    public Sm2PrivateKey RootKey { get; }
    public Sm2PrivateKey CityKey { get; }
    public IReadOnlyList<TestIdentity> Validators { get; }
    public TestIdentity Employer { get; }
    public TestIdentity Integrator { get; }

    /// <summary>The fixture worker's Worker certificate (pseudonym <see cref="WorkerPseudonymValue"/>).</summary>
    public TestIdentity Worker { get; }
    public GenesisDocument Genesis { get; }

    /// <summary>Certificates against this network's root and city CA, without revocations.</summary>
    public CertificateChainValidator ChainValidator() => new(Root.Certificate, [City.Certificate], []);

    public Hash32 ValidatorSetHash => ValidatorSet.ComputeHash(Sm3Hasher.Instance, Validators.Select(v => v.Certificate.Id));

    public static TestNetwork Create(int validators = 4, string chainId = DefaultChainId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(validators, 1);
        var rootKey = Sm2PrivateKey.Generate();
        var root = CertificateAuthority.CreateRoot($"Guangdong HRSS Root CA {chainId}", DivisionCode.Parse("440000000000"), rootKey, NotBefore, NotAfter);
        var cityKey = Sm2PrivateKey.Generate();
        var city = root.IssueIntermediate("Guangzhou HRSS CA", DivisionCode.Parse("440100000000"), cityKey, NotBefore, NotAfter);
        var set = Enumerable.Range(1, validators)
            .Select(i => Issue(city, $"validator-{i}", Role.Validator, null))
            .ToArray();
        var employer = Issue(city, "Guangzhou Example Technology Co", Role.Employer, EmployerCreditCode);
        var integrator = Issue(city, "Example HR SaaS", Role.Integrator, null);
        var worker = Issue(city, "worker", Role.Worker, null, WorkerPseudonymValue);
        return new TestNetwork(chainId, root, city, set, employer, integrator, worker, rootKey, cityKey);
    }

    /// <summary>
    /// What someone holding <paramref name="issuer"/>'s key could make (a city CA's key sits in an online signer): a
    /// "network" of the same chain id whose validators, employer and integrator that CA certified itself. Its blocks
    /// are well formed and properly sealed, and chain to the real root — but their validators are not the chain's.
    /// </summary>
    public static TestNetwork Impostor(CertificateAuthority issuer, string chainId = DefaultChainId, int validators = 1)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var set = Enumerable.Range(1, validators).Select(i => Issue(issuer, $"rogue-validator-{i}", Role.Validator, null)).ToArray();
        var employer = Issue(issuer, "Guangzhou Example Technology Co", Role.Employer, EmployerCreditCode);
        var integrator = Issue(issuer, "Example HR SaaS", Role.Integrator, null);
        var worker = issuer.Certificate.Role == Role.IntermediateCa ? Issue(issuer, "worker", Role.Worker, null, WorkerPseudonymValue) : integrator;
        // The impostor's "root" and "city" are the one CA it holds; its own keys are never used to issue.
        return new TestNetwork(chainId, issuer, issuer, set, employer, integrator, worker, Sm2PrivateKey.Generate(), Sm2PrivateKey.Generate());
    }

    /// <summary>This network's CAs and parties with another validator set (say, a minority of the real one posing as the whole).</summary>
    public TestNetwork WithValidators(IReadOnlyList<TestIdentity> validators) =>
        new(ChainId, Root, City, validators, Employer, Integrator, Worker, RootKey, CityKey);

    /// <summary>An end-entity certificate from the city CA (Guangzhou, Tianhe district).</summary>
    public TestIdentity Issue(string commonName, Role role, CreditCode? creditCode = null) => Issue(City, commonName, role, creditCode);

    /// <summary>A Worker certificate from the city CA for the person with <paramref name="idNumber"/>.</summary>
    public TestIdentity IssueWorker(string idNumber) => Issue(City, "worker", Role.Worker, null, PseudonymOf(idNumber));

    /// <summary>Seals of the given validators (by index) over (chain id, height, round, block hash).</summary>
    public IReadOnlyList<CommitSeal> Seal(ulong height, uint round, Hash32 blockHash, IEnumerable<int> validatorIndices)
    {
        var message = CommitSeal.SigningMessage(ChainId, height, round, blockHash);
        return validatorIndices.Select(i => new CommitSeal(Validators[i].Certificate.Id, Validators[i].Key.Sign(message))).ToArray();
    }

    private static TestIdentity Issue(CertificateAuthority ca, string commonName, Role role, CreditCode? creditCode, Hash32? pseudonym = null)
    {
        var key = Sm2PrivateKey.Generate();
        var certificate = ca.Issue(new CertificateRequest(commonName, role, DivisionCode.Parse("440106000000"), key.PublicKey, NotBefore, NotAfter, creditCode, pseudonym));
        return new TestIdentity(key, certificate);
    }
}

using System.Text;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;

namespace Ledger.Chaincode.Tests.Support;

/// <summary>Test identities, built directly: admission has verified signatures before chaincode runs, so no certificates are needed.</summary>
public static class Parties
{
    public static readonly CreditCode CodeA = Credit("91440101MA59ABCD1");
    public static readonly CreditCode CodeB = Credit("91440300MA5FXYW00");

    public static readonly SignerIdentity EmployerA = Employer(CodeA, "440106000000");
    public static readonly SignerIdentity EmployerB = Employer(CodeB, "440305000000");
    /// <summary>Stand-ins for HMAC-SM3(province key, ID number); only their 32 bytes reach the chain.</summary>
    public static readonly Hash32 CommitmentA = Commitment("worker-a");
    public static readonly Hash32 CommitmentB = Commitment("worker-b");

    /// <summary>Worker certificates: Worker1 is the person of <see cref="CommitmentA"/>, Worker2 of <see cref="CommitmentB"/>.</summary>
    public static readonly SignerIdentity Worker1 = Worker(1, CommitmentA);
    public static readonly SignerIdentity Worker2 = Worker(2, CommitmentB);
    public static readonly SignerIdentity GuangzhouBureau = Bureau("440100000000");
    public static readonly SignerIdentity TianheBureau = Bureau("440106000000"); // a county-level bureau inside Guangzhou
    public static readonly SignerIdentity ShenzhenBureau = Bureau("440300000000");
    public static readonly SignerIdentity ProvinceBureau = Bureau("440000000000");
    public static readonly SignerIdentity Integrator = Certified("integrator", Role.Integrator, null, null);
    public static readonly SignerIdentity Court = Certified("court", Role.Court, DivisionCode.Parse("440100000000"), null);


    public static Hash32 Hash(string text) => Sm3.Hash(Encoding.UTF8.GetBytes(text));

    public static Hash32 Commitment(string person) => Hash("pseudonym|" + person);

    public static CreditCode Credit(string first17) => CreditCode.Parse(first17 + CreditCode.CheckCharacter(first17));

    public static SignerIdentity Employer(CreditCode code, string division) =>
        Certified("employer:" + code.Value, Role.Employer, DivisionCode.Parse(division), code);

    /// <summary>A Worker certificate of a city CA naming <paramref name="pseudonym"/>.</summary>
    public static SignerIdentity Worker(int n, Hash32 pseudonym) => new()
    {
        KeyId = Hash("worker-key:" + n),
        CertificateId = Hash("worker-cert:" + n),
        Role = Role.Worker,
        Division = DivisionCode.Parse("440100000000"),
        WorkerPseudonym = pseudonym,
    };

    /// <summary>The same person with another key and certificate (re-enrolled): same pseudonym.</summary>
    public static SignerIdentity ReEnrolled(SignerIdentity worker, int n) => worker with { KeyId = Hash("worker-key:" + n), CertificateId = Hash("worker-cert:" + n) };

    /// <summary>A bare SM2 key: it carries no role.</summary>
    public static SignerIdentity BareKey(int n) => new() { KeyId = Hash("bare-key:" + n), Role = Role.Unknown };

    /// <summary>A worker holding a Worker-role certificate (may submit its own tx).</summary>
    public static SignerIdentity CertifiedWorker(SignerIdentity worker) => worker;

    public static SignerIdentity Bureau(string division) => Certified("bureau:" + division, Role.Bureau, DivisionCode.Parse(division), null);

    private static SignerIdentity Certified(string name, Role role, DivisionCode? division, CreditCode? code) => new()
    {
        KeyId = Hash("key:" + name),
        CertificateId = Hash("cert:" + name),
        Role = role,
        Division = division,
        CreditCode = code,
        CommonName = name,
    };
}

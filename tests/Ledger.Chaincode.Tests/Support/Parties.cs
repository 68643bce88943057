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
    public static readonly SignerIdentity Worker1 = Worker(1);
    public static readonly SignerIdentity Worker2 = Worker(2);
    public static readonly SignerIdentity GuangzhouBureau = Bureau("440100000000");
    public static readonly SignerIdentity TianheBureau = Bureau("440106000000"); // a county-level bureau inside Guangzhou
    public static readonly SignerIdentity ShenzhenBureau = Bureau("440300000000");
    public static readonly SignerIdentity ProvinceBureau = Bureau("440000000000");
    public static readonly SignerIdentity Integrator = Certified("integrator", Role.Integrator, null, null);
    public static readonly SignerIdentity Court = Certified("court", Role.Court, DivisionCode.Parse("440100000000"), null);

    /// <summary>SM3(nonce ‖ id-number) with made-up inputs; only its 32 bytes reach the chain.</summary>
    public static readonly Hash32 CommitmentA = Commitment("worker-a");
    public static readonly Hash32 CommitmentB = Commitment("worker-b");

    public static Hash32 Hash(string text) => Sm3.Hash(Encoding.UTF8.GetBytes(text));

    public static Hash32 Commitment(string person) => Hash("nonce128|" + person);

    public static CreditCode Credit(string first17) => CreditCode.Parse(first17 + CreditCode.CheckCharacter(first17));

    public static SignerIdentity Employer(CreditCode code, string division) =>
        Certified("employer:" + code.Value, Role.Employer, DivisionCode.Parse(division), code);

    public static SignerIdentity Worker(int n) => new() { KeyId = Hash("worker-key:" + n), Role = Role.Worker };

    /// <summary>A worker holding a Worker-role certificate (may submit its own tx).</summary>
    public static SignerIdentity CertifiedWorker(SignerIdentity worker) => worker with { CertificateId = Hash("cert:" + worker.KeyId.ToHex()) };

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

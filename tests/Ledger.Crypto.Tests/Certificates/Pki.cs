using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;

namespace Ledger.Crypto.Tests.Certificates;

/// <summary>A small consortium PKI: Guangdong root, Guangzhou and Shenzhen city CAs, and helpers to issue leaves.</summary>
internal sealed class Pki : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DivisionCode Guangdong = DivisionCode.Parse("440000000000");
    public static readonly DivisionCode Guangzhou = DivisionCode.Parse("440100000000");
    public static readonly DivisionCode Tianhe = DivisionCode.Parse("440106000000");
    public static readonly DivisionCode Shenzhen = DivisionCode.Parse("440300000000");
    public static readonly DivisionCode Beijing = DivisionCode.Parse("110000000000");

    private readonly List<Sm2PrivateKey> _keys = [];

    public Pki(DateTimeOffset? intermediateNotAfter = null)
    {
        Root = CertificateAuthority.CreateRoot("Guangdong HRSS Root CA", Guangdong, NewKey(), Start, Start.AddYears(30));
        GuangzhouCaKey = NewKey();
        GuangzhouCa = Root.IssueIntermediate("Guangzhou HRSS CA", Guangzhou, GuangzhouCaKey, Start, intermediateNotAfter ?? Start.AddYears(20));
        ShenzhenCa = Root.IssueIntermediate("Shenzhen HRSS CA", Shenzhen, NewKey(), Start, Start.AddYears(20));
    }

    public CertificateAuthority Root { get; }
    public CertificateAuthority GuangzhouCa { get; }
    public Sm2PrivateKey GuangzhouCaKey { get; }
    public CertificateAuthority ShenzhenCa { get; }

    public static CreditCode EmployerCode { get; } = CreditCode.Parse("91440101MA59ABCDE" + CreditCode.CheckCharacter("91440101MA59ABCDE"));

    public Sm2PrivateKey NewKey()
    {
        var key = Sm2PrivateKey.Generate();
        _keys.Add(key);
        return key;
    }

    public LedgerCertificate IssueLeaf(Role role = Role.Validator, DivisionCode? division = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, CreditCode? creditCode = null) =>
        GuangzhouCa.Issue(new CertificateRequest($"{role} node", role, division ?? Guangzhou, NewKey().PublicKey,
            notBefore ?? Start, notAfter ?? Start.AddYears(5), creditCode, role == Role.Worker ? Sm3.Hash("pseudonym of a test worker"u8) : null));

    public CertificateChainValidator Validator(params CertificateRevocationList[] crls) =>
        new(Root.Certificate, [GuangzhouCa.Certificate, ShenzhenCa.Certificate], crls);

    public void Dispose()
    {
        foreach (var key in _keys) key.Dispose();
    }
}

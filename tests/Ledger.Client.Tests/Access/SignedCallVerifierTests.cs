using System.Globalization;
using System.Security.Cryptography;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Client.Tests.Access;

/// <summary>
/// The shared signed-call checks on their own, without a transport (the node's and the signer's gRPC adapters are
/// tested in their own suites): what each refusal is, and in which order the checks run.
/// </summary>
public class SignedCallVerifierTests
{
    private const string Method = "/ledger.v1.SignerService/Enrol";
    private static readonly byte[] Request = [1, 2, 3];

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly Clock _clock = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
    private CertificateAuthority _ca = null!;
    private Sm2PrivateKey _caKey = null!;

    [SetUp]
    public void SetUp()
    {
        _caKey = Sm2PrivateKey.Generate();
        _ca = CertificateAuthority.CreateRoot("Verifier Test Root", DivisionCode.Parse("440000"), _caKey, _clock.Now.AddDays(-1), _clock.Now.AddYears(1));
    }

    [TearDown]
    public void TearDown() => _caKey.Dispose();

    private CallerIdentity Identity(Role role)
    {
        var key = Sm2PrivateKey.Generate();
        var certificate = _ca.Issue(new CertificateRequest($"a {role}", role, DivisionCode.Parse("440100"), key.PublicKey, _clock.Now.AddHours(-1), _clock.Now.AddDays(30),
            null, role == Role.Worker ? Sm3.Hash("a worker"u8) : null));
        return new CallerIdentity(certificate, key);
    }

    private SignedCallCredentials Sign(CallerIdentity identity, byte[]? request = null, byte[]? nonce = null, DateTimeOffset? at = null)
    {
        var time = (at ?? _clock.Now).ToUnixTimeMilliseconds();
        nonce ??= RandomNumberGenerator.GetBytes(CallAuthentication.NonceSize);
        var signature = identity.Key.Sign(CallAuthentication.SigningMessage(Method, request ?? Request, time, nonce, []));
        return new SignedCallCredentials(identity.Certificate.Der, time.ToString(CultureInfo.InvariantCulture), nonce, signature, []);
    }

    private SignedCallVerifier Verifier(int maxNonces = 1000) =>
        new((certificate, at) => certificate.VerifyIssuedBy(_ca.Certificate).IsValid && at <= certificate.NotAfter
            ? ValidationResult.Valid : ValidationResult.Fail(ErrorCode.UntrustedCertificate, "not ours"), _clock, maxNonces, "test");

    private static CallRefusedException Refusal(Action call) => Assert.Throws<CallRefusedException>(() => call())!;

    [Test]
    public void A_good_call_names_its_certificate_and_its_nonce_is_not_accepted_twice()
    {
        var verifier = Verifier();
        var bureau = Identity(Role.Bureau);
        var credentials = Sign(bureau);
        Assert.That(verifier.Verify(Method, Request, credentials, new HashSet<Role> { Role.Bureau }).Certificate.Id, Is.EqualTo(bureau.Certificate.Id));
        var replay = Refusal(() => verifier.Verify(Method, Request, credentials));
        Assert.That((replay.Code, replay.Refusal), Is.EqualTo((ErrorCode.CallerNonceReused, CallRefusal.Unauthenticated)));
        Assert.That(verifier.RememberedNonces, Is.EqualTo(1));
    }

    [Test]
    public void A_role_outside_the_allowed_ones_is_permission_denied_but_only_after_the_signature_checks()
    {
        var verifier = Verifier();
        var roles = new HashSet<Role> { Role.Bureau };
        var worker = Identity(Role.Integrator);   // any role but Bureau (a Worker needs a city CA, this root is none)
        var wrongRole = Refusal(() => verifier.Verify(Method, Request, Sign(worker), roles));
        Assert.That((wrongRole.Code, wrongRole.Refusal), Is.EqualTo((ErrorCode.WrongCertificateRole, CallRefusal.PermissionDenied)));

        // A forged call with a Worker certificate learns nothing about roles: the signature fails first, and spends no nonce.
        var nonce = RandomNumberGenerator.GetBytes(CallAuthentication.NonceSize);
        var forged = Refusal(() => verifier.Verify(Method, [9, 9], Sign(worker, nonce: nonce), roles));
        Assert.That((forged.Code, forged.Refusal), Is.EqualTo((ErrorCode.CallerSignatureInvalid, CallRefusal.Unauthenticated)));
        Assert.That(verifier.RememberedNonces, Is.Zero);
    }

    [Test]
    public void Trust_time_and_ca_refusals_are_unauthenticated_with_their_codes()
    {
        var verifier = Verifier();
        using var otherKey = Sm2PrivateKey.Generate();
        var other = CertificateAuthority.CreateRoot("Another Root", DivisionCode.Parse("440000"), otherKey, _clock.Now.AddDays(-1), _clock.Now.AddYears(1));
        using var strangerKey = Sm2PrivateKey.Generate();
        var stranger = new CallerIdentity(other.Issue(new CertificateRequest("stranger", Role.Bureau, DivisionCode.Parse("440100"), strangerKey.PublicKey,
            _clock.Now.AddHours(-1), _clock.Now.AddDays(1))), strangerKey);
        Assert.That(Refusal(() => verifier.Verify(Method, Request, Sign(stranger))).Code, Is.EqualTo(ErrorCode.UntrustedCertificate));

        var bureau = Identity(Role.Bureau);
        Assert.That(Refusal(() => verifier.Verify(Method, Request, Sign(bureau, at: _clock.Now.AddMinutes(-6)))).Code, Is.EqualTo(ErrorCode.CallerTimeOutsideWindow));
        Assert.That(Refusal(() => verifier.Verify(Method, Request, Sign(bureau, at: _clock.Now.AddMinutes(6)))).Code, Is.EqualTo(ErrorCode.CallerTimeOutsideWindow));
        Assert.That(Refusal(() => verifier.Verify(Method, Request, Sign(bureau) with { Nonce = new byte[8] })).Code, Is.EqualTo(ErrorCode.CallerCredentialsMalformed));
        Assert.That(Refusal(() => verifier.Verify(Method, Request, Sign(bureau) with { Time = "soon" })).Code, Is.EqualTo(ErrorCode.CallerCredentialsMalformed));
        Assert.That(Refusal(() => verifier.Verify(Method, Request, Sign(bureau) with { Certificate = [0x30, 0x00] })).Code, Is.EqualTo(ErrorCode.CallerCertificateRejected));

        var ca = new CallerIdentity(_ca.Certificate, _caKey);
        Assert.That(Refusal(() => verifier.Verify(Method, Request, Sign(ca))).Code, Is.EqualTo(ErrorCode.CallerCertificateRejected), "a CA does not make calls");
    }

    [Test]
    public void A_full_nonce_cache_is_overloaded_until_the_window_has_passed()
    {
        var verifier = Verifier(maxNonces: 1);
        var bureau = Identity(Role.Bureau);
        verifier.Verify(Method, Request, Sign(bureau));
        var busy = Refusal(() => verifier.Verify(Method, Request, Sign(bureau)));
        Assert.That((busy.Code, busy.Refusal), Is.EqualTo((ErrorCode.RateLimited, CallRefusal.Overloaded)));
        _clock.Now += 2 * CallAuthentication.Window + TimeSpan.FromSeconds(1);
        Assert.That(verifier.Verify(Method, Request, Sign(bureau)).Certificate.Id, Is.EqualTo(bureau.Certificate.Id), "remembered nonces expire after twice the window");
    }
}

using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Google.Protobuf;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Hosting;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Signer.Tests;

/// <summary>
/// Enrol and the bureau's view of the audit log take a call signed by an operator of this bureau — an Operator certificate
/// from the signer's own city CA — over the real gRPC transport: each way of not being one is refused with a typed status,
/// nothing is enrolled, and an enrolment's audit record names the operator who authorised it.
/// </summary>
public class OperatorAuthorisationTests
{
    private const string EnrolMethod = "/ledger.v1.SignerService/Enrol";
    private const string ListMethod = "/ledger.v1.SignerService/ListAuditEvents";

    private SignerTestBed _bed = null!;
    private SignerHost? _host;
    private GrpcChannel? _channel;

    [SetUp]
    public void SetUp() => _bed = new SignerTestBed();

    [TearDown]
    public async Task TearDown()
    {
        _channel?.Dispose();
        _channel = null;
        if (_host is not null) await _host.DisposeAsync();
        _host = null;
        _bed.Dispose();
    }

    private async Task StartAsync(Func<SignerConfig, SignerConfig>? configure = null)
    {
        if (configure is not null) _bed.Config = configure(_bed.Config);
        _host = await _bed.StartHostAsync();
        _channel = _bed.Transport.Channel(_host.GrpcEndpoint);
    }

    private Rpc.SignerService.SignerServiceClient Anonymous => new(_channel!);

    private Rpc.SignerService.SignerServiceClient SignedBy(CallerIdentity identity) =>
        new(_channel!.Intercept(new CallSigningInterceptor(identity, _bed.Clock)));

    private static Rpc.EnrolRequest Worker() => new() { Kind = Rpc.HolderKind.Person, Pin = SignerTestBed.Pin, IdNumber = SignerTestBed.WorkerIdNumber };

    /// <summary>An enrolment as the operator's SDK makes it: begin, authorise the pending key, enrol — each call signed by <paramref name="identity"/>.</summary>
    private async Task<Rpc.EnrolResponse> EnrolAs(CallerIdentity identity, Rpc.EnrolRequest request) =>
        await SignedBy(identity).EnrolAsync(await _bed.AuthoriseAsync(SignedBy(identity), request, identity));

    private static Rpc.ListAuditEventsRequest BureauView() => new() { Bureau = new Rpc.BureauRequester() };

    private static Metadata Headers(SignedCallCredentials c) => new()
    {
        { CallAuthentication.CertificateHeader, c.Certificate },
        { CallAuthentication.TimeHeader, c.Time },
        { CallAuthentication.NonceHeader, c.Nonce },
        { CallAuthentication.SignatureHeader, c.Signature },
    };

    private static Task<(StatusCode Status, ErrorCode? Code, Google.Rpc.Status? Details)> Failure(Func<Task> call) => GrpcTransportTests.Failure(call);

    private void AssertNobodyEnrolled() =>
        Assert.That(Directory.Exists(_bed.DataPath("holders")) ? Directory.GetFiles(_bed.DataPath("holders")) : [], Is.Empty, "no holder was enrolled");

    [Test]
    public async Task An_operators_enrolment_is_audited_under_the_operators_certificate()
    {
        await StartAsync();
        var enrolled = await EnrolAs(_bed.Operator, Worker());
        var employer = await EnrolAs(_bed.Operator, new Rpc.EnrolRequest
        {
            Kind = Rpc.HolderKind.Organisation, Pin = SignerTestBed.Pin, OrganisationName = "Guangzhou Example Co., Ltd.", CreditCode = SignerTestBed.EmployerCode,
        });
        var log = await SignedBy(_bed.Operator).ListAuditEventsAsync(BureauView());
        Assert.That(log.Check.Intact, Is.True);
        var enrolments = log.Events.Where(e => e.Kind == "Enrolled").ToList();
        Assert.That(enrolments, Has.Count.EqualTo(2));
        var workerKeyId = LedgerCertificate.FromDer(enrolled.Certificate.ToByteArray()).PublicKey.Id;
        Assert.That(enrolments[0].HolderKeyId.ToByteArray(), Is.EqualTo(workerKeyId.ToArray()), "who was enrolled");
        foreach (var record in enrolments)
        {
            Assert.That(record.OperatorCertificateId.ToByteArray(), Is.EqualTo(_bed.Operator.Certificate.Id.ToArray()), "by whom: the operator's certificate id");
            Assert.That(record.OperatorSubject, Is.EqualTo(_bed.Operator.Certificate.Subject));
        }
        Assert.That(log.Events[^1].Kind, Is.EqualTo("BureauListed"), "the operator's read of the log is itself in the log");
        Assert.That(log.Events[^1].OperatorCertificateId.ToByteArray(), Is.EqualTo(_bed.Operator.Certificate.Id.ToArray()));
        Assert.That(employer.HolderId, Is.Not.Empty);

        // The record (operator fields included) is under the hash chain: the log verifies after a restart.
        await _host!.DisposeAsync();
        _host = null;
        using var reopened = _bed.Open();
        var (records, check) = await reopened.ListForBureauAsync(_bed.Authorise(reopened), 0, 100, "test", CancellationToken.None);
        Assert.That(check.Intact, Is.True, check.Reason);
        Assert.That(records.First(r => r.Kind == Audit.AuditEventKind.Enrolled).OperatorSubject, Is.EqualTo(_bed.Operator.Certificate.Subject));
        var line = File.ReadAllLines(_bed.DataPath("audit.log"))[0];
        Assert.That(line, Does.Contain(_bed.Operator.Certificate.Id.ToHex()));
        Assert.That(File.ReadAllText(_bed.DataPath("audit.log")), Does.Not.Contain(SignerTestBed.WorkerIdNumber));
    }

    [Test]
    public async Task An_unsigned_enrolment_or_bureau_read_is_permission_denied()
    {
        await StartAsync();
        var enrol = await Failure(() => Anonymous.EnrolAsync(Worker()).ResponseAsync);
        Assert.That((enrol.Status, enrol.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.NotAuthorised)));
        var list = await Failure(() => Anonymous.ListAuditEventsAsync(BureauView()).ResponseAsync);
        Assert.That((list.Status, list.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.NotAuthorised)));
        // Authorisation is checked before the request: a malformed one learns nothing either.
        var malformed = await Failure(() => Anonymous.EnrolAsync(new Rpc.EnrolRequest()).ResponseAsync);
        Assert.That(malformed.Code, Is.EqualTo(ErrorCode.NotAuthorised));
        AssertNobodyEnrolled();
    }

    [Test]
    public async Task A_worker_employer_or_bureau_certificate_of_this_city_is_not_an_operator()
    {
        await StartAsync();
        // A Bureau certificate acts on chain; enrolling is the narrower Operator role's alone.
        foreach (var role in new[] { Role.Worker, Role.Employer, Role.Bureau })
        {
            var holder = _bed.IssueIdentity($"a {role}", role);
            var enrol = await Failure(() => SignedBy(holder).EnrolAsync(Worker()).ResponseAsync);
            Assert.That((enrol.Status, enrol.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.WrongCertificateRole)), role.ToString());
            var begin = await Failure(() => SignedBy(holder).BeginEnrolmentAsync(new Rpc.BeginEnrolmentRequest { Kind = Rpc.HolderKind.Person }).ResponseAsync);
            Assert.That((begin.Status, begin.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.WrongCertificateRole)), role.ToString());
            var list = await Failure(() => SignedBy(holder).ListAuditEventsAsync(BureauView()).ResponseAsync);
            Assert.That((list.Status, list.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.WrongCertificateRole)), role.ToString());
        }
        AssertNobodyEnrolled();
    }

    [Test]
    public async Task An_operator_of_another_city_is_not_this_bureaus_operator()
    {
        await StartAsync();
        using var shenzhenKey = Sm2PrivateKey.Generate();
        var now = _bed.Clock.GetUtcNow();
        var shenzhen = _bed.Root.IssueIntermediate("Shenzhen HRSS CA", DivisionCode.Parse("440300"), shenzhenKey, now.AddDays(-1), now.AddYears(5));
        var shenzhenOperator = _bed.IssueIdentity("Shenzhen bureau operator", Role.Operator, shenzhen, division: "440300");
        var refused = await Failure(() => SignedBy(shenzhenOperator).EnrolAsync(Worker()).ResponseAsync);
        Assert.That((refused.Status, refused.Code), Is.EqualTo((StatusCode.Unauthenticated, (ErrorCode?)ErrorCode.UntrustedCertificate)));
        Assert.That(refused.Details!.Message, Does.Contain("Guangzhou HRSS CA"));

        // The province's own Operator certificate (from the root) is not a Guangzhou operator either.
        var province = _bed.IssueIdentity("Province bureau operator", Role.Operator, _bed.Root, division: "440000");
        Assert.That((await Failure(() => SignedBy(province).EnrolAsync(Worker()).ResponseAsync)).Code, Is.EqualTo(ErrorCode.UntrustedCertificate));
        AssertNobodyEnrolled();
    }

    [Test]
    public async Task An_expired_operator_certificate_is_refused()
    {
        await StartAsync();
        var shortLived = _bed.IssueIdentity("Guangzhou operator, short-lived", Role.Operator, notAfter: _bed.Clock.GetUtcNow().AddDays(1));
        await EnrolAs(shortLived, Worker());
        _bed.Clock.Advance(TimeSpan.FromDays(2));
        var refused = await Failure(() => SignedBy(shortLived).EnrolAsync(Worker()).ResponseAsync);
        Assert.That((refused.Status, refused.Code), Is.EqualTo((StatusCode.Unauthenticated, (ErrorCode?)ErrorCode.CertificateExpired)));
        Assert.That(Directory.GetFiles(_bed.DataPath("holders"), "*.holder"), Has.Length.EqualTo(1), "only the enrolment before expiry");
    }

    [Test]
    public async Task An_operator_revoked_by_the_city_cas_crl_is_refused()
    {
        var revoked = _bed.IssueIdentity("Guangzhou operator, dismissed", Role.Operator);
        var now = _bed.Clock.GetUtcNow();
        var crl = _bed.CityCa.IssueCrl([new RevokedCertificate(revoked.Certificate.SerialNumberHex, now.AddMinutes(-5))], now.AddMinutes(-1), now.AddDays(7));
        File.WriteAllText(Path.Combine(_bed.Directory.FullName, "guangzhou.crl"), crl.ToPem());
        await StartAsync(c => c with { CrlFiles = ["guangzhou.crl"] });
        var refused = await Failure(() => SignedBy(revoked).EnrolAsync(Worker()).ResponseAsync);
        Assert.That((refused.Status, refused.Code), Is.EqualTo((StatusCode.Unauthenticated, (ErrorCode?)ErrorCode.CertificateRevoked)));
        await EnrolAs(_bed.Operator, Worker());   // an operator the CRL does not list still enrols
    }

    [Test]
    public void A_crl_not_signed_by_the_city_ca_stops_the_signer_from_starting()
    {
        var now = _bed.Clock.GetUtcNow();
        var rootCrl = _bed.Root.IssueCrl([], now.AddMinutes(-1), now.AddDays(7));
        File.WriteAllText(Path.Combine(_bed.Directory.FullName, "root.crl"), rootCrl.ToPem());
        _bed.Config = _bed.Config with { CrlFiles = ["root.crl"] };
        var e = Assert.Throws<LedgerException>(() => _bed.Open().Dispose());
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidCrl));
    }

    [Test]
    public async Task A_bad_signature_a_stale_time_or_a_replayed_nonce_is_unauthenticated()
    {
        await StartAsync();
        var request = await _bed.AuthoriseAsync(SignedBy(_bed.Operator), Worker());
        var bytes = request.ToByteArray();

        // Signed over another request (a different PIN): the signature does not cover what was sent.
        var other = _bed.Sign(_bed.Operator, EnrolMethod, new Rpc.EnrolRequest(request) { Pin = "271828" }.ToByteArray());
        var forged = await Failure(() => Anonymous.EnrolAsync(request, Headers(other)).ResponseAsync);
        Assert.That((forged.Status, forged.Code), Is.EqualTo((StatusCode.Unauthenticated, (ErrorCode?)ErrorCode.CallerSignatureInvalid)));

        // Signed for another method: ListAuditEvents credentials do not enrol.
        var otherMethod = _bed.Sign(_bed.Operator, ListMethod, bytes);
        Assert.That((await Failure(() => Anonymous.EnrolAsync(request, Headers(otherMethod)).ResponseAsync)).Code, Is.EqualTo(ErrorCode.CallerSignatureInvalid));

        var stale = _bed.Sign(_bed.Operator, EnrolMethod, bytes, at: _bed.Clock.GetUtcNow().AddMinutes(-6));
        var late = await Failure(() => Anonymous.EnrolAsync(request, Headers(stale)).ResponseAsync);
        Assert.That((late.Status, late.Code), Is.EqualTo((StatusCode.Unauthenticated, (ErrorCode?)ErrorCode.CallerTimeOutsideWindow)));

        var malformed = Headers(_bed.Sign(_bed.Operator, EnrolMethod, bytes));
        malformed.Remove(malformed.Get(CallAuthentication.SignatureHeader)!);
        Assert.That((await Failure(() => Anonymous.EnrolAsync(request, malformed).ResponseAsync)).Code, Is.EqualTo(ErrorCode.CallerCredentialsMalformed));
        AssertNobodyEnrolled();

        var once = Headers(_bed.Sign(_bed.Operator, EnrolMethod, bytes));
        await Anonymous.EnrolAsync(request, once);
        var replayed = await Failure(() => Anonymous.EnrolAsync(request, once).ResponseAsync);
        Assert.That((replayed.Status, replayed.Code), Is.EqualTo((StatusCode.Unauthenticated, (ErrorCode?)ErrorCode.CallerNonceReused)));
        Assert.That(Directory.GetFiles(_bed.DataPath("holders"), "*.holder"), Has.Length.EqualTo(1), "the replay enrolled nobody");
    }

    [Test]
    public async Task The_signers_own_service_certificate_is_not_an_operator()
    {
        var service = _bed.IssueIdentity("Guangzhou signer service", Role.Bureau);
        File.WriteAllText(Path.Combine(_bed.Directory.FullName, "signer.pem"), service.Certificate.ToPem());
        KeyFile.Save(Path.Combine(_bed.Directory.FullName, "signer.key"), service.Key, "ca-passphrase", KeyFileOptions.ForTests);
        await StartAsync(c => c with { Certificate = "signer.pem", Key = "signer.key" });
        var refused = await Failure(() => SignedBy(service).EnrolAsync(Worker()).ResponseAsync);
        Assert.That((refused.Status, refused.Code), Is.EqualTo((StatusCode.Unauthenticated, (ErrorCode?)ErrorCode.WrongCertificateRole)));
        AssertNobodyEnrolled();
    }

    [Test]
    public void A_config_that_still_names_the_operator_token_is_refused_with_what_replaces_it()
    {
        var path = Path.Combine(_bed.Directory.FullName, "config.json");
        File.WriteAllText(path, (_bed.Config with { OperatorTokenFile = "operator-token" }).ToJson());
        var e = Assert.Throws<LedgerException>(() => SignerConfig.Load(path));
        Assert.That(e!.Message, Does.Contain("operatorTokenFile is no longer supported"));
        Assert.That(e.Message, Does.Contain("Bureau certificates"));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }
}

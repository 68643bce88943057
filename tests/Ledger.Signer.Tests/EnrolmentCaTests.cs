using System.Net;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Client.Signer;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Ledger.Signer.Ca;
using Ledger.Signer.Grpc;
using Ledger.Signer.Hosting;
using Ledger.Signer.Keys;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Signer.Tests;

/// <summary>
/// The city's CA process certifies a holder key only on a fresh authorisation by a named operator of its city, which it
/// checks itself: what a compromised signer could send it — nothing, a forgery, an altered, replayed, stale or other-city
/// authorisation, one from a dismissed or expired operator or a non-operator — is refused with a typed code, and over
/// gRPC only the allowed signer's TLS identity reaches it at all.
/// </summary>
public class EnrolmentCaTests
{
    private SignerTestBed _bed = null!;

    [SetUp]
    public void SetUp() => _bed = new SignerTestBed();

    [TearDown]
    public void TearDown() => _bed.Dispose();

    private static byte[] NewHolderKey()
    {
        using var key = Sm2PrivateKey.Generate();
        return key.PublicKey.ToBytes();
    }

    private EnrolmentOrder Worker(CallerIdentity? by = null, byte[]? holderKey = null, string city = "440100000000", DateTimeOffset? at = null, byte[]? nonce = null) =>
        _bed.Authorisation(by ?? _bed.Operator, HolderKind.Person, SignerTestBed.WorkerIdNumber, null, null, holderKey ?? NewHolderKey(), city, at, nonce);

    private ErrorCode Refused(EnrolmentOrder order)
    {
        var code = Refusals.Of(() => _bed.Ca.Issue(order)).Code;
        Assert.That(SignerErrors.StatusFor(code), Is.EqualTo(Google.Rpc.Code.PermissionDenied).Or.EqualTo(Google.Rpc.Code.InvalidArgument), $"{code} is a typed refusal");
        return code;
    }

    [Test]
    public void An_authorised_enrolment_is_certified_and_logged_without_the_id_number()
    {
        var holderKey = NewHolderKey();
        var worker = _bed.Ca.Issue(Worker(holderKey: holderKey));
        Assert.That(worker.Role, Is.EqualTo(Role.Worker));
        Assert.That(worker.PublicKey.ToBytes(), Is.EqualTo(holderKey), "the very key the operator authorised");
        Assert.That(worker.WorkerPseudonym, Is.EqualTo(WorkerPseudonym.Compute(SignerTestBed.PseudonymKey, SignerTestBed.WorkerIdNumber)), "the CA computes the pseudonym");
        Assert.That(worker.VerifyIssuedBy(_bed.CityCa.Certificate).IsValid, Is.True);
        var employer = _bed.Ca.Issue(_bed.Authorisation(_bed.Operator, HolderKind.Organisation, null, "Guangzhou Example Co., Ltd.", SignerTestBed.EmployerCode, NewHolderKey()));
        Assert.That((employer.Role, employer.CreditCode?.Value, employer.CommonName), Is.EqualTo((Role.Employer, SignerTestBed.EmployerCode, "Guangzhou Example Co., Ltd.")));

        var log = File.ReadAllText(Path.Combine(_bed.Directory.FullName, "ca-data", "issued.log"));
        Assert.That(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
        Assert.That(log, Does.Contain(_bed.Operator.Certificate.Id.ToHex()), "the log names the authorising operator");
        Assert.That(log, Does.Not.Contain(SignerTestBed.WorkerIdNumber).And.Not.Contain(worker.WorkerPseudonym!.Value.ToHex()));
    }

    [Test]
    public void A_missing_malformed_or_forged_authorisation_is_refused()
    {
        var good = Worker();
        Assert.That(Refused(good with { Authorisation = [], Signature = [] }), Is.EqualTo(ErrorCode.EnrolmentAuthorisationMissing));
        Assert.That(Refused(good with { Authorisation = [0xff, 0xff, 0xff] }), Is.EqualTo(ErrorCode.EnrolmentAuthorisationMalformed));

        // Signed by a key that is not the operator certificate's: what a signer without the operator's key could make.
        using var signerKey = Sm2PrivateKey.Generate();
        Assert.That(Refused(good with { Signature = signerKey.Sign(EnrolmentAuthorisations.SigningMessage(good.Authorisation)) }),
            Is.EqualTo(ErrorCode.EnrolmentSignatureInvalid));
        // Signed by a certificate of this city that is not an Operator's: the signer's own Bureau certificate, a worker's.
        foreach (var role in new[] { Role.Bureau, Role.Worker })
        {
            var other = _bed.IssueIdentity($"a {role} of Guangzhou", role);
            Assert.That(Refused(Worker(by: other)), Is.EqualTo(ErrorCode.WrongCertificateRole), role.ToString());
        }
        Assert.That(_bed.Ca.Issued, Is.Zero);
    }

    [Test]
    public void An_altered_authorisation_or_enrolment_is_refused()
    {
        var holderKey = NewHolderKey();
        var good = Worker(holderKey: holderKey);
        // The signer swaps in a key of its own: the signed bytes change, so the signature no longer covers them.
        var swapped = Rpc.EnrolmentAuthorisation.Parser.ParseFrom(good.Authorisation);
        swapped.HolderPublicKey = Google.Protobuf.ByteString.CopyFrom(NewHolderKey());
        Assert.That(Refused(good with { Authorisation = Google.Protobuf.MessageExtensions.ToByteArray(swapped) }), Is.EqualTo(ErrorCode.EnrolmentSignatureInvalid));
        // Another person's ID number under this authorisation, or the employer fields added: not what the operator checked.
        Assert.That(Refused(good with { IdNumber = "440106199001011235" }), Is.EqualTo(ErrorCode.EnrolmentMismatch));
        Assert.That(Refused(good with { IdNumber = null, CreditCode = SignerTestBed.EmployerCode, OrganisationName = "Co." }), Is.EqualTo(ErrorCode.EnrolmentMismatch));
        var employer = _bed.Authorisation(_bed.Operator, HolderKind.Organisation, null, "Guangzhou Example Co., Ltd.", SignerTestBed.EmployerCode, NewHolderKey());
        Assert.That(Refused(employer with { OrganisationName = "Another Co., Ltd." }), Is.EqualTo(ErrorCode.EnrolmentMismatch));
        Assert.That(Refused(employer with { CreditCode = global::Ledger.TestKit.Network.TestConsortium.MakeCreditCode("91440101708300022").Value }),
            Is.EqualTo(ErrorCode.EnrolmentMismatch));
        Assert.That(_bed.Ca.Issued, Is.Zero);
        Assert.That(_bed.Ca.Issue(good).PublicKey.ToBytes(), Is.EqualTo(holderKey), "the authorisation itself was good");
    }

    [Test]
    public void An_authorisation_of_another_city_or_from_another_citys_operator_is_refused()
    {
        Assert.That(Refused(Worker(city: "440300000000")), Is.EqualTo(ErrorCode.EnrolmentWrongCity));
        using var shenzhenKey = Sm2PrivateKey.Generate();
        var now = _bed.Clock.GetUtcNow();
        var shenzhen = _bed.Root.IssueIntermediate("Shenzhen HRSS CA", DivisionCode.Parse("440300"), shenzhenKey, now.AddDays(-1), now.AddYears(5));
        var shenzhenOperator = _bed.IssueIdentity("Shenzhen bureau operator", Role.Operator, shenzhen, division: "440300");
        Assert.That(Refused(Worker(by: shenzhenOperator)), Is.EqualTo(ErrorCode.UntrustedCertificate));
        Assert.That(Refused(Worker(by: shenzhenOperator, city: "440300000000")), Is.EqualTo(ErrorCode.UntrustedCertificate));
        var provinceOperator = _bed.IssueIdentity("Province operator", Role.Operator, _bed.Root, division: "440000");
        Assert.That(Refused(Worker(by: provinceOperator)), Is.EqualTo(ErrorCode.UntrustedCertificate));
    }

    [Test]
    public void A_stale_or_future_authorisation_and_an_expired_operator_are_refused()
    {
        var now = _bed.Clock.GetUtcNow();
        Assert.That(Refused(Worker(at: now.AddMinutes(-6))), Is.EqualTo(ErrorCode.EnrolmentAuthorisationExpired));
        Assert.That(Refused(Worker(at: now.AddMinutes(6))), Is.EqualTo(ErrorCode.EnrolmentAuthorisationExpired));
        _bed.Ca.Issue(Worker(at: now.AddMinutes(-4)));   // within the 300 s window

        var shortLived = _bed.IssueIdentity("Guangzhou operator, short-lived", Role.Operator, notAfter: now.AddDays(1));
        var signedInTime = Worker(by: shortLived);
        _bed.Clock.Advance(TimeSpan.FromDays(2));
        Assert.That(Refused(Worker(by: shortLived)), Is.EqualTo(ErrorCode.CertificateExpired));
        Assert.That(Refused(signedInTime), Is.EqualTo(ErrorCode.CertificateExpired), "kept back until after the operator's certificate expired");
    }

    [Test]
    public void A_replayed_authorisation_is_refused_even_after_a_restart()
    {
        var holderKey = NewHolderKey();
        var nonce = RandomNumberGenerator.GetBytes(16);
        var once = Worker(holderKey: holderKey, nonce: nonce);
        _bed.Ca.Issue(once);
        Assert.That(Refused(once), Is.EqualTo(ErrorCode.EnrolmentAuthorisationReplayed));
        Assert.That(Refused(Worker(nonce: nonce)), Is.EqualTo(ErrorCode.EnrolmentAuthorisationReplayed), "the operator's nonce is spent, whatever key");
        Assert.That(Refused(Worker(holderKey: holderKey)), Is.EqualTo(ErrorCode.EnrolmentAuthorisationReplayed), "a key is certified once");

        _bed.Ca.Dispose();
        using var restarted = EnrolmentCa.Open(_bed.CaConfig, _bed.Clock);
        Assert.That(Refusals.Of(() => restarted.Issue(once)).Code, Is.EqualTo(ErrorCode.EnrolmentAuthorisationReplayed), "the issuance log survives a restart");
        Assert.That(restarted.Issued, Is.EqualTo(1));
    }

    [Test]
    public void An_operator_revoked_by_the_city_cas_crl_authorises_nothing()
    {
        var dismissed = _bed.IssueIdentity("Guangzhou operator, dismissed", Role.Operator);
        var now = _bed.Clock.GetUtcNow();
        var crl = _bed.CityCa.IssueCrl([new RevokedCertificate(dismissed.Certificate.SerialNumberHex, now.AddMinutes(-5))], now.AddMinutes(-1), now.AddDays(7));
        File.WriteAllText(Path.Combine(_bed.Directory.FullName, "guangzhou.crl"), crl.ToPem());
        _bed.CaConfig = _bed.CaConfig with { CrlFiles = ["guangzhou.crl"] };
        Assert.That(Refused(Worker(by: dismissed)), Is.EqualTo(ErrorCode.CertificateRevoked));
        _bed.Ca.Issue(Worker());   // an operator the CRL does not list still authorises
    }

    [Test]
    public void The_signer_forwards_only_its_callers_own_authorisation_of_a_key_it_began()
    {
        using var service = _bed.Open();
        var byOperator = _bed.Authorise(service);
        var pending = service.BeginEnrolment(HolderKind.Person, byOperator);
        Assert.That(pending.City, Is.EqualTo("440100000000"));

        // Another operator's authorisation, forwarded under this operator's call: each operator enrols on their own authority.
        var colleague = _bed.IssueIdentity("Guangzhou operator Li", Role.Operator);
        var theirs = _bed.Authorisation(colleague, HolderKind.Person, SignerTestBed.WorkerIdNumber, null, null, pending.PublicKey.ToBytes());
        Assert.That(Refusals.Of(() => service.EnrolAsync(HolderKind.Person, SignerTestBed.Pin, SignerTestBed.WorkerIdNumber, null, null, theirs, "peer", byOperator)
            .GetAwaiter().GetResult()).Code, Is.EqualTo(ErrorCode.NotAuthorised));
        // A key this signer never began (or already used).
        var unknown = _bed.Authorisation(_bed.Operator, HolderKind.Person, SignerTestBed.WorkerIdNumber, null, null, NewHolderKey());
        Assert.That(Refusals.Of(() => service.EnrolAsync(HolderKind.Person, SignerTestBed.Pin, SignerTestBed.WorkerIdNumber, null, null, unknown, "peer", byOperator)
            .GetAwaiter().GetResult()).Code, Is.EqualTo(ErrorCode.EnrolmentKeyUnknown));
        // The pending key expires with the challenge lifetime.
        var late = _bed.Authorisation(_bed.Operator, HolderKind.Person, SignerTestBed.WorkerIdNumber, null, null, pending.PublicKey.ToBytes());
        _bed.Clock.Advance(TimeSpan.FromSeconds(_bed.Config.ChallengeSeconds + 1));
        Assert.That(Refusals.Of(() => service.EnrolAsync(HolderKind.Person, SignerTestBed.Pin, SignerTestBed.WorkerIdNumber, null, null, late, "peer", _bed.Authorise(service))
            .GetAwaiter().GetResult()).Code, Is.EqualTo(ErrorCode.EnrolmentKeyUnknown));
        Assert.That(_bed.Ca.Issued, Is.Zero);
    }

    [Test]
    public void A_signer_config_that_still_names_the_ca_key_or_the_pseudonym_key_is_refused_with_what_to_do()
    {
        var path = Path.Combine(_bed.Directory.FullName, "config.json");
        File.WriteAllText(path, (_bed.Config with { CaKey = "ca.key" }).ToJson());
        var e = Assert.Throws<LedgerException>(() => SignerConfig.Load(path));
        Assert.That(e!.Message, Does.Contain("caKey is no longer supported").And.Contain("ledger ca serve").And.Contain("caUrl"));
        Assert.That(e.Message, Does.Not.Contain("\n"));
        File.WriteAllText(path, (_bed.Config with { PseudonymKeyFile = "pseudonym.key" }).ToJson());
        Assert.That(Assert.Throws<LedgerException>(() => SignerConfig.Load(path))!.Message, Does.Contain("pseudonymKeyFile is no longer supported"));
        File.WriteAllText(path, (_bed.Config with { CaUrl = null }).ToJson());
        Assert.That(Assert.Throws<LedgerException>(() => SignerConfig.Load(path))!.Message, Does.Contain("caUrl is required"));
    }

    /// <summary>A transport CA of the test's own, with TLS certificates for the CA process, its signer and an intruder.</summary>
    private sealed class Transport : IDisposable
    {
        private readonly TransportCertificateAuthority _ca;

        public Transport(string directory)
        {
            Directory = directory;
            _ca = TransportCertificateAuthority.Create($"CA process test {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
            CaPath = Path.Combine(directory, "process-transport-ca.pem");
            File.WriteAllText(CaPath, _ca.CertificatePem());
        }

        public string Directory { get; }

        public string CaPath { get; }

        public (string Certificate, string Key) Issue(string name)
        {
            using var certificate = _ca.Issue(name, ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
            var paths = (Path.Combine(Directory, $"{name}.pem"), Path.Combine(Directory, $"{name}.key"));
            TransportCredentials.Save(certificate, paths.Item1, paths.Item2);
            return paths;
        }

        public void Dispose() => _ca.Dispose();
    }

    [Test]
    public async Task Over_mutual_tls_the_ca_process_serves_its_signer_alone_and_the_sdk_enrols_through_it()
    {
        using var transport = new Transport(_bed.Directory.FullName);
        var caTls = transport.Issue("test-ca");
        var signerTls = transport.Issue("test-signer");
        var intruderTls = transport.Issue("test-intruder");
        var caConfig = _bed.CaConfig with { TlsCertificate = caTls.Certificate, TlsKey = caTls.Key, TransportCa = transport.CaPath, AllowedClients = ["test-signer"] };
        await using var caHost = await CaHost.StartAsync(caConfig, clock: _bed.Clock);
        var signerConfig = _bed.Config with
        {
            CaUrl = caHost.GrpcEndpoint.ToString().TrimEnd('/'), TlsCertificate = signerTls.Certificate, TlsKey = signerTls.Key, TransportCa = transport.CaPath,
        };
        // No in-process CA: the signer reaches the CA process over mutual TLS with its own TLS certificate.
        await using var signerHost = await SignerHost.StartAsync(signerConfig, default, null, _bed.Clock, _bed.Ledger);
        var trust = TransportTrust.Load(transport.CaPath);
        using var signerChannel = GrpcChannel.ForAddress(signerHost.GrpcEndpoint, new GrpcChannelOptions { HttpHandler = trust.CreateHandler(), DisposeHttpClient = true });
        using var sdk = new SignerClient(signerChannel.CreateCallInvoker(), _bed.Operator, _bed.Clock);
        var worker = await sdk.EnrolWorkerAsync(SignerTestBed.Pin, SignerTestBed.WorkerIdNumber);
        Assert.That(worker.Certificate.WorkerPseudonym, Is.EqualTo(WorkerPseudonym.Compute(SignerTestBed.PseudonymKey, SignerTestBed.WorkerIdNumber)));
        var employer = await sdk.EnrolEmployerAsync(SignerTestBed.Pin, "Guangzhou Example Co., Ltd.", SignerTestBed.EmployerCode);
        Assert.That(employer.Certificate.Role, Is.EqualTo(Role.Employer));
        Assert.That(caHost.Ca.Issued, Is.EqualTo(2));
        var audit = await sdk.ListBureauAuditAsync();
        Assert.That(audit.Events.Where(e => e.Kind == "Enrolled").Select(e => e.OperatorSubject), Is.EqualTo(new[] { _bed.Operator.Certificate.Subject, _bed.Operator.Certificate.Subject }));

        // A refusal of the CA process reaches the operator typed, through the signer: an Operator certificate of another city.
        using var shenzhenKey = Sm2PrivateKey.Generate();
        var signerService = signerHost.Service;
        var byOperator = _bed.Authorise(signerService);
        var pending = signerService.BeginEnrolment(HolderKind.Person, byOperator);
        var stale = _bed.Authorisation(_bed.Operator, HolderKind.Person, SignerTestBed.WorkerIdNumber, null, null, pending.PublicKey.ToBytes(),
            at: _bed.Clock.GetUtcNow().AddMinutes(-10));
        Assert.That(Refusals.Of(() => signerService.EnrolAsync(HolderKind.Person, SignerTestBed.Pin, SignerTestBed.WorkerIdNumber, null, null, stale, "peer", byOperator)
            .GetAwaiter().GetResult()).Code, Is.EqualTo(ErrorCode.EnrolmentAuthorisationExpired));

        // Another service of the consortium, with a good authorisation in hand, is not the CA's caller.
        var good = _bed.SignedAuthorisation(_bed.Operator, HolderKind.Person, SignerTestBed.WorkerIdNumber, null, null, NewHolderKey(), "440100000000");
        var request = new Rpc.IssueRequest { Authorisation = good, IdNumber = SignerTestBed.WorkerIdNumber };
        using (var intruder = TransportCredentials.Load(intruderTls.Certificate, intruderTls.Key))
        using (var channel = GrpcChannel.ForAddress(caHost.GrpcEndpoint, new GrpcChannelOptions { HttpHandler = trust.CreateHandler(intruder), DisposeHttpClient = true }))
        {
            var refused = await GrpcTransportTests.Failure(() => new Rpc.CaService.CaServiceClient(channel).IssueAsync(request).ResponseAsync);
            Assert.That((refused.Status, refused.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.CaCallerNotAllowed)));
        }
        // Without a client certificate the handshake itself fails.
        using (var channel = GrpcChannel.ForAddress(caHost.GrpcEndpoint, new GrpcChannelOptions { HttpHandler = trust.CreateHandler(), DisposeHttpClient = true }))
        {
            StatusCode? failed = null;
            try
            {
                await new Rpc.CaService.CaServiceClient(channel).IssueAsync(request);
            }
            catch (RpcException e)
            {
                failed = e.StatusCode;
            }
            Assert.That(failed, Is.EqualTo(StatusCode.Unavailable).Or.EqualTo(StatusCode.Internal), "no TLS connection without a client certificate");
        }
        // The signer's own TLS identity with a forged authorisation: typed, over the wire.
        using (var signerCertificate = TransportCredentials.Load(signerTls.Certificate, signerTls.Key))
        using (var channel = GrpcChannel.ForAddress(caHost.GrpcEndpoint, new GrpcChannelOptions { HttpHandler = trust.CreateHandler(signerCertificate), DisposeHttpClient = true }))
        {
            using var notTheOperator = Sm2PrivateKey.Generate();
            var forged = new Rpc.IssueRequest(request) { Authorisation = new Rpc.SignedEnrolmentAuthorisation(good)
                { Signature = Google.Protobuf.ByteString.CopyFrom(notTheOperator.Sign(EnrolmentAuthorisations.SigningMessage(good.Authorisation.Span))) } };
            var refused = await GrpcTransportTests.Failure(() => new Rpc.CaService.CaServiceClient(channel).IssueAsync(forged).ResponseAsync);
            Assert.That((refused.Status, refused.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.EnrolmentSignatureInvalid)));
            Assert.That((await new Rpc.CaService.CaServiceClient(channel).IssueAsync(request)).Certificate.IsEmpty, Is.False, "the good one, from the signer's identity");
        }
        Assert.That(caHost.Ca.Issued, Is.EqualTo(3));
    }
}

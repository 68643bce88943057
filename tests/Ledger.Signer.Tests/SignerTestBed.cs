using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Client.Access;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Hosting;
using Ledger.Signer.Intent;
using Ledger.Signer.Keys;

using CaProcess = Ledger.Signer.Ca;

namespace Ledger.Signer.Tests;

/// <summary>
/// A throw-away bureau for one test: a root and a Guangzhou CA (key file at the test KDF), the secrets files a signer
/// and its CA process read (passphrase, KEK, pseudonym key), a bureau operator (an Operator certificate from the Guangzhou
/// CA), a signer config on 127.0.0.1 port 0, the city's CA process in-process (<see cref="Ca"/>, its own config
/// <see cref="CaConfig"/>), and a manual clock.
/// </summary>
public sealed class SignerTestBed : IDisposable
{
    public const string ChainId = "gd-signer-test";
    public const string Pin = "314159";

    /// <summary>A made-up, well-formed resident identity number (check character valid): it must never appear in a log, audit record or certificate.</summary>
    public const string WorkerIdNumber = "44010619850315002X";

    public static readonly byte[] PseudonymKey = Sm3.Hash("signer test pseudonym key"u8).ToArray();
    public static readonly string EmployerCode = global::Ledger.TestKit.Network.TestConsortium.MakeCreditCode("91440101708300011").Value;

    public SignerTestBed()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ledger-signer-");
        var now = Clock.GetUtcNow();
        var rootKey = Sm2PrivateKey.Generate();   // kept: tests issue other cities' CAs and CRLs from the root
        Root = CertificateAuthority.CreateRoot("Test Root CA", DivisionCode.Parse("440000"), rootKey, now.AddDays(-1), now.AddYears(5));
        var cityKey = Sm2PrivateKey.Generate();
        CityCa = Root.IssueIntermediate("Guangzhou HRSS CA", DivisionCode.Parse("440100"), cityKey, now.AddDays(-1), now.AddYears(5));
        Write("passphrase", "ca-passphrase\n");
        Write("kek", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "\n");
        Write("pseudonym.key", Convert.ToHexStringLower(PseudonymKey) + "\n");
        KeyFile.Save(System.IO.Path.Combine(Directory.FullName, "ca.key"), cityKey, "ca-passphrase", KeyFileOptions.ForTests);
        Write("ca.pem", CityCa.Certificate.ToPem());
        Operator = IssueIdentity("Guangzhou bureau operator Zhang", Role.Operator);
        Transport = global::Ledger.TestKit.Transport.TestTransport.Create(Directory.FullName, "test-signer");
        Config = new SignerConfig
        {
            Name = "test-signer",
            ChainId = ChainId,
            CaCertificate = "ca.pem",
            // Tests hand the signer the in-process CA (Ca); the CA process tests start a real one.
            CaUrl = "https://127.0.0.1:9",
            PassphraseFile = "passphrase",
            KekFile = "kek",
            DataDir = "data",
            GrpcListen = "127.0.0.1:0",
            HttpListen = "127.0.0.1:0",
            KdfIterations = KeyFileOptions.TestIterations,
            AllowWeakKdf = true,
            TlsCertificate = Transport.CertificatePath,
            TlsKey = Transport.KeyPath,
            TransportCa = Transport.CaPath,
            BaseDirectory = Directory.FullName,
        };
        CaConfig = new CaProcess.CaConfig
        {
            Name = "test-ca",
            CaCertificate = "ca.pem",
            CaKey = "ca.key",
            PassphraseFile = "passphrase",
            PseudonymKeyFile = "pseudonym.key",
            TlsCertificate = Transport.CertificatePath,
            TlsKey = Transport.KeyPath,
            TransportCa = Transport.CaPath,
            AllowedClients = ["test-signer"],
            DataDir = "ca-data",
            GrpcListen = "127.0.0.1:0",
            KdfIterations = KeyFileOptions.TestIterations,
            AllowWeakKdf = true,
            BaseDirectory = Directory.FullName,
        };
    }

    /// <summary>The city's CA process config: the CA key, the pseudonym key, data in ca-data/, its signer's TLS name allowed.</summary>
    public CaProcess.CaConfig CaConfig { get; set; } = null!;

    private CaProcess.EnrolmentCa? _ca;

    /// <summary>The city's CA, in-process, on the test clock (opened on first use from <see cref="CaConfig"/>).</summary>
    public CaProcess.EnrolmentCa Ca => _ca ??= CaProcess.EnrolmentCa.Open(CaConfig, Clock);

    public DirectoryInfo Directory { get; }
    public ManualClock Clock { get; } = new();

    /// <summary>The signer's TLS: a test transport CA and the signer's certificate from it.</summary>
    public global::Ledger.TestKit.Transport.TestTransport Transport { get; }
    public CertificateAuthority Root { get; }
    public CertificateAuthority CityCa { get; }
    public SignerConfig Config { get; set; }

    /// <summary>The bureau's operator: whoever enrols holders or reads the whole audit log signs the call with this.</summary>
    public CallerIdentity Operator { get; }
    public FakeAnchorLedger Ledger { get; } = new();

    public string DataPath(params string[] parts) => System.IO.Path.Combine([Directory.FullName, "data", .. parts]);

    public SignerService Open() => SignerService.Open(Config, Ledger, Clock, null, Ca);

    public Task<SignerHost> StartHostAsync(Microsoft.Extensions.Logging.ILoggerProvider? logs = null) =>
        SignerHost.StartAsync(Config, default, logs is null ? null : (Action<Microsoft.Extensions.Logging.ILoggingBuilder>)(l => l.AddProvider(logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace)), Clock, Ledger, Ca);

    /// <summary>A sign payload to consent to (the statement and its text are derived from it).</summary>
    public static PayloadToSign Statement(string contractId = "GZ-2026-000001", string document = "contract v1", uint version = 1) =>
        new(ChainId, new SignPayload { ContractId = contractId, Version = version, DocumentHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(document)) });

    public Holder EnrolWorker(SignerService service, string pin = Pin) => Enrol(service, HolderKind.Person, pin, WorkerIdNumber, null, null);

    public Holder EnrolEmployer(SignerService service, string pin = Pin) => Enrol(service, HolderKind.Organisation, pin, null, "Guangzhou Example Co., Ltd.", EmployerCode);

    /// <summary>Both steps, as the operator's SDK takes them: begin (a pending key), authorise exactly it, enrol.</summary>
    public Holder Enrol(SignerService service, HolderKind kind, string pin, string? idNumber, string? name, string? creditCode, CallerIdentity? identity = null)
    {
        var byOperator = Authorise(service, identity);
        var pending = service.BeginEnrolment(kind, byOperator);
        var order = Authorisation(identity ?? Operator, kind, idNumber, name, creditCode, pending.PublicKey.ToBytes(), pending.City);
        return service.EnrolAsync(kind, pin, idNumber, name, creditCode, order, "ipv4:127.0.0.1", byOperator).GetAwaiter().GetResult().Holder;
    }

    /// <summary>An operator's signed authorisation of one enrolment, dated now (or <paramref name="at"/>), as an order to the CA.</summary>
    public CaProcess.EnrolmentOrder Authorisation(CallerIdentity identity, HolderKind kind, string? idNumber, string? name, string? creditCode, byte[] holderPublicKey,
        string city = "440100000000", DateTimeOffset? at = null, byte[]? nonce = null)
    {
        var signed = SignedAuthorisation(identity, kind, idNumber, name, creditCode, holderPublicKey, city, at, nonce);
        return new CaProcess.EnrolmentOrder(signed.Authorisation.ToByteArray(), signed.OperatorCertificate.ToByteArray(), signed.Signature.ToByteArray(), idNumber, name, creditCode);
    }

    public Proto.V1.SignedEnrolmentAuthorisation SignedAuthorisation(CallerIdentity identity, HolderKind kind, string? idNumber, string? name, string? creditCode, byte[] holderPublicKey,
        string city = "440100000000", DateTimeOffset? at = null, byte[]? nonce = null) =>
        Client.Signer.EnrolmentAuthorisations.Sign(identity, kind == HolderKind.Person ? Proto.V1.HolderKind.Person : Proto.V1.HolderKind.Organisation,
            kind == HolderKind.Person ? Client.Signer.EnrolmentAuthorisations.PersonSubject(idNumber!) : Client.Signer.EnrolmentAuthorisations.OrganisationSubject(creditCode!, name!),
            holderPublicKey, city, at ?? Clock.GetUtcNow(), nonce);

    /// <summary>Over gRPC: BeginEnrolment with <paramref name="client"/> (signed by the operator), then the request with its authorisation.</summary>
    public async Task<Proto.V1.EnrolRequest> AuthoriseAsync(Proto.V1.SignerService.SignerServiceClient client, Proto.V1.EnrolRequest request, CallerIdentity? identity = null)
    {
        var pending = await client.BeginEnrolmentAsync(new Proto.V1.BeginEnrolmentRequest { Kind = request.Kind });
        var kind = request.Kind == Proto.V1.HolderKind.Person ? HolderKind.Person : HolderKind.Organisation;
        request.Authorisation = SignedAuthorisation(identity ?? Operator, kind, request.IdNumber, request.OrganisationName, request.CreditCode, pending.HolderPublicKey.ToByteArray(), pending.City);
        return request;
    }

    /// <summary>The operator, authorised by the service from a call they signed now (as the gRPC service does for Enrol).</summary>
    public Access.Operator Authorise(SignerService service, CallerIdentity? identity = null)
    {
        const string method = "/ledger.v1.SignerService/Enrol";
        return service.AuthoriseOperator(method, [], Sign(identity ?? Operator, method, []), "enrolment", "ipv4:127.0.0.1");
    }

    /// <summary>Credentials for one call, signed as <see cref="CallSigningInterceptor"/> signs them.</summary>
    public SignedCallCredentials Sign(CallerIdentity identity, string method, byte[] request, DateTimeOffset? at = null, byte[]? nonce = null)
    {
        var time = (at ?? Clock.GetUtcNow()).ToUnixTimeMilliseconds();
        nonce ??= RandomNumberGenerator.GetBytes(CallAuthentication.NonceSize);
        var signature = identity.Key.Sign(CallAuthentication.SigningMessage(method, request, time, nonce, []));
        return new SignedCallCredentials(identity.Certificate.Der, time.ToString(System.Globalization.CultureInfo.InvariantCulture), nonce, signature, []);
    }

    /// <summary>A certificate of <paramref name="role"/> from the Guangzhou CA (or <paramref name="ca"/>), valid for a year from now unless told.</summary>
    public CallerIdentity IssueIdentity(string subject, Role role, CertificateAuthority? ca = null, DateTimeOffset? notAfter = null, string division = "440100")
    {
        var now = Clock.GetUtcNow();
        var key = Sm2PrivateKey.Generate();
        var certificate = (ca ?? CityCa).Issue(new CertificateRequest(subject, role, DivisionCode.Parse(division), key.PublicKey, now.AddHours(-1), notAfter ?? now.AddYears(1),
            role == Role.Employer ? CreditCode.Parse(EmployerCode) : null, role == Role.Worker ? Sm3.Hash("a worker"u8) : null));
        return new CallerIdentity(certificate, key);
    }

    private void Write(string name, string content) => File.WriteAllText(System.IO.Path.Combine(Directory.FullName, name), content);

    public void Dispose()
    {
        _ca?.Dispose();
        Directory.Delete(recursive: true);
    }
}

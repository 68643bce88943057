using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ledger.Client.Access;
using Ledger.Client.Signer;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// A city's CA process (<c>ledger ca serve</c>) for the E2E tests that start signers themselves: Guangzhou's as network
/// init configured it, another city's made the same way (its own CA certificate and key from ca/, the same TLS identity
/// and allowed signer name), on a free port. And the operator's side of an enrolment over the raw gRPC client.
/// </summary>
internal static class CityCaProcess
{
    public static async Task<(string Url, LedgerProcess Process)> StartAsync(string network, string city)
    {
        var template = Path.Combine(network, "ca-services", "guangzhou");
        var directory = Path.Combine(network, "ca-services", city);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(template, "config.json")))!;
        if (city != "guangzhou")
        {
            Directory.CreateDirectory(directory);
            foreach (var tls in new[] { "tls.pem", "tls.key" }) File.Copy(Path.Combine(template, tls), Path.Combine(directory, tls), overwrite: true);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(directory, "tls.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            config["name"] = $"{city}-ca";
            config["caCertificate"] = Path.Combine("..", "..", "ca", $"{city}.pem");
            config["caKey"] = Path.Combine("..", "..", "ca", $"{city}.key");
        }
        var port = LedgerProcess.FreePortRange(1);
        config["grpcListen"] = $"127.0.0.1:{port}";
        var path = Path.Combine(directory, "config.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var process = LedgerProcess.Start("ca", "serve", "--config", path);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the CA process exited:\n{process.Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return ($"https://127.0.0.1:{port}", process);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Begins an enrolment with <paramref name="operatorClient"/> (its calls signed by <paramref name="identity"/>) and adds the operator's authorisation of the pending key.</summary>
    public static async Task<Rpc.EnrolRequest> AuthoriseAsync(Rpc.SignerService.SignerServiceClient operatorClient, CallerIdentity identity, Rpc.EnrolRequest request)
    {
        var pending = await operatorClient.BeginEnrolmentAsync(new Rpc.BeginEnrolmentRequest { Kind = request.Kind });
        var subject = request.Kind == Rpc.HolderKind.Person
            ? EnrolmentAuthorisations.PersonSubject(request.IdNumber)
            : EnrolmentAuthorisations.OrganisationSubject(request.CreditCode, request.OrganisationName);
        request.Authorisation = EnrolmentAuthorisations.Sign(identity, request.Kind, subject, pending.HolderPublicKey.Span, pending.City, DateTimeOffset.UtcNow);
        return request;
    }

    public static async Task<Rpc.EnrolResponse> EnrolAsync(Rpc.SignerService.SignerServiceClient operatorClient, CallerIdentity identity, Rpc.EnrolRequest request) =>
        await operatorClient.EnrolAsync(await AuthoriseAsync(operatorClient, identity, request));
}

using Ledger.Explorer.Tests.Support;

namespace Ledger.Explorer.Tests;

/// <summary>Starts the shared devnet + explorer once for the assembly, and stops it at the end.</summary>
[SetUpFixture]
public sealed class NetworkSetUp
{
    private ExplorerNetwork? _network;

    [OneTimeSetUp]
    public async Task Start() => _network = await ExplorerNetwork.StartAsync();

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_network is not null) await _network.DisposeAsync();
    }
}

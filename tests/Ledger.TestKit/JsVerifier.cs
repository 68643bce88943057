namespace Ledger.TestKit;

/// <summary>The independent JavaScript verifier (verifiers/js): where it is, installed from its package-lock.json when needed.</summary>
public static class JsVerifier
{
    /// <summary>verifiers/js of this checkout; runs <c>npm ci</c> there when its packages are missing (scripts/test.sh does it before the suite).</summary>
    public static string Install()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Ledger.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Ledger.sln not found above the test directory");
        var directory = Path.Combine(root, "verifiers", "js");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "sm-crypto")))
        {
            var ci = ProcessRunner.Run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], directory, TimeSpan.FromMinutes(5));
            if (ci.ExitCode != 0) throw new InvalidOperationException($"npm ci in verifiers/js failed: {ci.StdOut}{ci.StdErr}");
        }
        return directory;
    }
}

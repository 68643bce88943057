using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>, installed by scripts/test.sh — never a downloaded browser)
/// driven by Playwright, with a fresh profile; screenshots go to <c>artifacts/screenshots/</c> at the repository root.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly DirectoryInfo _profile;

    private BrowserSession(IPlaywright playwright, IBrowserContext context, DirectoryInfo profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    private readonly List<string> _pageErrors = [];

    /// <summary>
    /// The context's page, with every script error and refused load collected for <see cref="TakePageErrors"/> (an API
    /// answering 401, 404 or 503 is logged by the browser as a failed load: expected where a test asks for it).
    /// </summary>
    public async Task<IPage> OpenPageAsync()
    {
        var page = Context.Pages.Count > 0 ? Context.Pages[0] : await Context.NewPageAsync();
        page.Console += (_, m) =>
        {
            var apiAnswer = m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal) && m.Location.Contains("/api/", StringComparison.Ordinal);
            if (m.Type == "error" && !apiAnswer) lock (_pageErrors) _pageErrors.Add($"{m.Text} ({m.Location})");
        };
        page.PageError += (_, e) =>
        {
            lock (_pageErrors) _pageErrors.Add(e);
        };
        return page;
    }

    /// <summary>The errors collected since the last call (a test's TearDown asserts there were none).</summary>
    public string[] TakePageErrors()
    {
        lock (_pageErrors)
        {
            string[] errors = [.. _pageErrors];
            _pageErrors.Clear();
            return errors;
        }
    }

    public static string ScreenshotDirectory { get; } = Path.Combine(RepoRoot(), "artifacts", "screenshots");

    private static readonly Lock Index = new();

    public static async Task<BrowserSession> StartAsync(string? acceptedSpkiHash = null)
    {
        if (!File.Exists(ChromiumPath))
            Assert.Fail($"{ChromiumPath} is missing: the browser tests need Debian's chromium (apt-get install chromium fonts-noto-cjk; scripts/test.sh installs them as root)");
        Directory.CreateDirectory(ScreenshotDirectory);
        File.Delete(Path.Combine(ScreenshotDirectory, "index.txt"));
        var profile = Directory.CreateTempSubdirectory("ledger-chromium-");
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = acceptedSpkiHash is null ? Args : [.. Args, $"--ignore-certificate-errors-spki-list={acceptedSpkiHash}"],
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(playwright, context, profile);
    }

    /// <summary>A full-page PNG of the page, named for what it shows; its path is printed so a reader can look.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Progress.WriteLine($"screenshot: {path}");
        lock (Index) File.AppendAllLines(Path.Combine(ScreenshotDirectory, "index.txt"), [path]);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}

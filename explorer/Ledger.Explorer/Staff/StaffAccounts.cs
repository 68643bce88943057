using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;

namespace Ledger.Explorer.Staff;

/// <summary>
/// The explorer operator's staff accounts, in one JSON file (<c>ledger explorer account add</c>): passwords only as
/// PBKDF2-HMAC-SM3 with a per-account salt, written atomically and readable by its owner only. Loaded once at start.
/// </summary>
public sealed class StaffAccounts
{
    public const int DefaultIterations = 200_000;
    public const int MinPasswordLength = 10;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly Dictionary<string, StaffAccount> _accounts;
    private readonly StaffAccount _decoy;

    private StaffAccounts(Dictionary<string, StaffAccount> accounts)
    {
        _accounts = accounts;
        // An unknown user costs the same PBKDF2 as a known one: timing does not tell which names exist.
        _decoy = new StaffAccount
        {
            User = "", Role = StaffRole.Court, Institution = "", Iterations = accounts.Values.Select(a => a.Iterations).DefaultIfEmpty(DefaultIterations).Max(),
            Salt = new byte[SaltBytes], PasswordHash = new byte[HashBytes],
        };
    }

    public static StaffAccounts Empty() => new(new Dictionary<string, StaffAccount>(StringComparer.Ordinal));

    public int Count => _accounts.Count;

    public IEnumerable<StaffAccount> All => _accounts.Values.OrderBy(a => a.User, StringComparer.Ordinal);

    /// <summary>The accounts in <paramref name="path"/>; none when the file does not exist. A malformed file is a <see cref="LedgerException"/> naming it.</summary>
    public static StaffAccounts Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) return Empty();
        var accounts = new Dictionary<string, StaffAccount>(StringComparer.Ordinal);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
            if (root["version"]?.GetValue<int>() != 1) throw new JsonException("version must be 1");
            foreach (var node in root["accounts"]?.AsArray() ?? throw new JsonException("no accounts array"))
            {
                var o = node as JsonObject ?? throw new JsonException("an account is not an object");
                var role = Enum.Parse<StaffRole>(Text(o, "role"), ignoreCase: false);
                if (role == StaffRole.Unspecified || !Enum.IsDefined(role)) throw new JsonException($"no such role {Text(o, "role")}");
                var division = o["division"]?.GetValue<string>();
                var account = new StaffAccount
                {
                    User = CheckUser(Text(o, "user")),
                    Role = role,
                    Institution = Text(o, "institution"),
                    Division = division is null ? null : DivisionCode.Parse(division),
                    Iterations = o["iterations"]?.GetValue<int>() is >= 1000 and var n ? n : throw new JsonException("iterations must be at least 1000"),
                    Salt = Convert.FromBase64String(Text(o, "salt")),
                    PasswordHash = Convert.FromBase64String(Text(o, "hash")),
                };
                if (account.PasswordHash.Length != HashBytes) throw new JsonException($"account {account.User}: the hash is not {HashBytes} bytes");
                if ((account.Role == StaffRole.Bureau) != (account.Division is not null))
                    throw new JsonException($"account {account.User}: a bureau account has a division and no other does");
                if (!accounts.TryAdd(account.User, account)) throw new JsonException($"account {account.User} appears twice");
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or LedgerException)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{path}: not a staff accounts file ({e.Message})");
        }
        return new StaffAccounts(accounts);
    }

    /// <summary>Adds or replaces an account. Refuses a bad user name, a short password, or a division on anyone but a bureau.</summary>
    public StaffAccount Add(string user, StaffRole role, string institution, string password, int iterations = DefaultIterations, string? division = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        CheckUser(user);
        if (role == StaffRole.Unspecified || !Enum.IsDefined(role)) throw new LedgerException(ErrorCode.InvalidFieldValue, $"no such staff role: {role}");
        if (string.IsNullOrWhiteSpace(institution) || institution.Length > 128)
            throw new LedgerException(ErrorCode.InvalidFieldValue, "the institution is 1 to 128 characters");
        if (password.Length < MinPasswordLength)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"a staff password has at least {MinPasswordLength} characters");
        if (iterations < 1000) throw new LedgerException(ErrorCode.InvalidFieldValue, "at least 1000 PBKDF2 iterations");
        DivisionCode? code = null;
        if (role == StaffRole.Bureau)
        {
            if (division is null) throw new LedgerException(ErrorCode.MissingField, "a bureau account needs --division: it reads contracts registered or worked there");
            code = DivisionCode.TryParse(division, out var parsed)
                ? parsed
                : throw new LedgerException(ErrorCode.InvalidFieldValue, $"division '{division}' is not a 6- or 12-digit division code");
        }
        else if (division is not null)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"only a bureau account has a division; a {role} account reads for the case it signs in with");
        }
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var account = new StaffAccount
        {
            User = user, Role = role, Institution = institution.Trim(), Division = code, Iterations = iterations,
            Salt = salt, PasswordHash = Hash(password, salt, iterations),
        };
        _accounts[user] = account;
        return account;
    }

    public bool Remove(string user) => _accounts.Remove(user);

    /// <summary>The account when the password is right, else null; the same work whether or not the user exists.</summary>
    public StaffAccount? Check(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var known = _accounts.TryGetValue(user ?? "", out var account);
        var candidate = known ? account! : _decoy;
        var hash = Hash(password, candidate.Salt, candidate.Iterations);
        return CryptographicOperations.FixedTimeEquals(hash, candidate.PasswordHash) && known ? account : null;
    }

    /// <summary>Writes the file atomically (a temporary file renamed over it), readable and writable by its owner only.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var array = new JsonArray();
        foreach (var a in All)
        {
            var o = new JsonObject
            {
                ["user"] = a.User, ["role"] = a.Role.ToString(), ["institution"] = a.Institution,
                ["iterations"] = a.Iterations, ["salt"] = Convert.ToBase64String(a.Salt), ["hash"] = Convert.ToBase64String(a.PasswordHash),
            };
            if (a.Division is { } d) o["division"] = d.ToString();
            array.Add(o);
        }
        var json = new JsonObject { ["version"] = 1, ["kdf"] = "PBKDF2-HMAC-SM3", ["accounts"] = array }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(json));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] Hash(string password, byte[] salt, int iterations) =>
        Pbkdf2Sm3.DeriveKey(Encoding.UTF8.GetBytes(password), salt, iterations, HashBytes);

    private static string CheckUser(string user)
    {
        if (string.IsNullOrEmpty(user) || user.Length > 64 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or ':'))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "a user name is 1 to 64 characters, without spaces, '/' or ':'");
        return user;
    }

    private static string Text(JsonObject o, string name) =>
        o[name]?.GetValue<string>() is { Length: > 0 } text ? text : throw new JsonException($"missing {name}");
}

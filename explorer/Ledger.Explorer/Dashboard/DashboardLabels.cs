namespace Ledger.Explorer.Dashboard;

/// <summary>Names a bureau reads: GB/T 4754-2017 sections and the warning kinds, zh-CN and English.</summary>
internal static class DashboardLabels
{
    private static readonly Dictionary<string, (string Zh, string En)> Sections = new(StringComparer.Ordinal)
    {
        ["A"] = ("农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
        ["B"] = ("采矿业", "Mining"),
        ["C"] = ("制造业", "Manufacturing"),
        ["D"] = ("电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water"),
        ["E"] = ("建筑业", "Construction"),
        ["F"] = ("批发和零售业", "Wholesale and retail trade"),
        ["G"] = ("交通运输、仓储和邮政业", "Transport, storage and post"),
        ["H"] = ("住宿和餐饮业", "Accommodation and catering"),
        ["I"] = ("信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
        ["J"] = ("金融业", "Finance"),
        ["K"] = ("房地产业", "Real estate"),
        ["L"] = ("租赁和商务服务业", "Leasing and business services"),
        ["M"] = ("科学研究和技术服务业", "Scientific research and technical services"),
        ["N"] = ("水利、环境和公共设施管理业", "Water, environment and public facilities management"),
        ["O"] = ("居民服务、修理和其他服务业", "Resident, repair and other services"),
        ["P"] = ("教育", "Education"),
        ["Q"] = ("卫生和社会工作", "Health and social work"),
        ["R"] = ("文化、体育和娱乐业", "Culture, sports and entertainment"),
        ["S"] = ("公共管理、社会保障和社会组织", "Public administration, social security and social organisations"),
        ["T"] = ("国际组织", "International organisations"),
    };

    /// <summary>The section letters, A to T.</summary>
    public static IEnumerable<string> SectionLetters => Sections.Keys;

    /// <summary>The contract types a dashboard filters by: their name in its URLs, the value on the wire, zh-CN and English.</summary>
    public static readonly (string Key, Proto.V1.ContractType Type, string Zh, string En)[] ContractTypes =
    [
        ("fixed-term", Proto.V1.ContractType.FixedTerm, "固定期限", "Fixed term"),
        ("open-ended", Proto.V1.ContractType.OpenEnded, "无固定期限", "Open-ended"),
        ("task-based", Proto.V1.ContractType.TaskBased, "以完成一定工作任务为期限", "Task-based"),
    ];

    public static (string Zh, string En) Section(string letter) =>
        Sections.TryGetValue(letter, out var name) ? name : (letter, letter);

    /// <summary>A warning's evidence in a bureau's words (the stored detail is English).</summary>
    public static string DetailZh(Proto.V1.Warning w)
    {
        var days = (int)Math.Round(TimeSpan.FromMilliseconds(w.RaisedAt - w.WindowStart).TotalDays);
        return w.Kind == "closure_rate"
            ? $"近 {days} 日解除及终止 {w.Observed} 件，此前基线每 {days} 日 {w.Reference / 100.0:0.0} 件"
            : $"{days} 日内以经济性裁员（《劳动合同法》第四十一条）解除 {w.Observed} 人，用人单位在职 {w.Reference} 人";
    }

    public static (string Zh, string En) WarningKind(string kind) => kind switch
    {
        "art41_count" => ("规模性裁员（人数达标）", "Mass layoff (head count)"),
        "art41_share" => ("规模性裁员（占比达标）", "Mass layoff (share of workforce)"),
        "closure_rate" => ("解除终止率异常上升", "Rising dissolution and termination rate"),
        _ => (kind, kind),
    };
}

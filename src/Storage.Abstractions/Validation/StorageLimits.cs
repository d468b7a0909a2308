namespace Storage.Abstractions;

/// <summary>The limits the shared validation enforces; database schemas follow them. Lengths count UTF-16 code units.</summary>
public static class StorageLimits
{
    /// <summary>Project ecosystem: <value>50</value>.</summary>
    public const int Ecosystem = 50;

    /// <summary>Project, contributor and asset names: <value>255</value>.</summary>
    public const int Name = 255;

    /// <summary>Project version: <value>100</value>.</summary>
    public const int Version = 100;

    /// <summary>Descriptions: <value>10,000</value>.</summary>
    public const int Description = 10_000;

    /// <summary>URLs: <value>2,048</value>.</summary>
    public const int Url = 2_048;

    /// <summary>Email: <value>254</value>.</summary>
    public const int Email = 254;

    /// <summary>GitHub user name: <value>100</value>.</summary>
    public const int GithubUsername = 100;

    /// <summary>Wallet address: <value>128</value>.</summary>
    public const int WalletAddress = 128;

    /// <summary>Largest cost amount of one contribution: <value>999,999,999,999.99</value>.</summary>
    public const decimal MaxCostAmount = 999_999_999_999.99m;

    /// <summary>Agent task id: <value>50</value>.</summary>
    public const int TaskId = 50;

    /// <summary>Agent task direction: <value>5,000</value>.</summary>
    public const int Direction = 5_000;

    /// <summary>Model name: <value>100</value>.</summary>
    public const int Model = 100;

    /// <summary>Command: <value>10,000</value>.</summary>
    public const int Command = 10_000;

    /// <summary>Output: <value>1,000,000</value>.</summary>
    public const int Output = 1_000_000;

    /// <summary>Current step: <value>500</value>.</summary>
    public const int CurrentStep = 500;

    /// <summary>Decision prompt and decision: <value>5,000</value>.</summary>
    public const int Decision = 5_000;

    /// <summary>Tier: <value>50</value>.</summary>
    public const int Tier = 50;

    /// <summary>Worker id: <value>100</value>.</summary>
    public const int WorkerId = 100;

    /// <summary>Search text: <value>200</value>.</summary>
    public const int SearchText = 200;

    /// <summary>Largest page of a list: <value>100</value>.</summary>
    public const int MaxPage = 100;

    /// <summary>Largest page when listing all projects by key: <value>1,000</value>.</summary>
    public const int MaxKeyPage = 1_000;

    /// <summary>Deepest transitive dependency walk: <value>20</value>.</summary>
    public const int MaxDepth = 20;
}

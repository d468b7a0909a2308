using Npgsql;

namespace Storage.Postgres.Tests;

/// <summary>libpq's host and port lists, turned into Npgsql's multi-host syntax; errors that never quote the text.</summary>
public sealed class ConnectionStringTests
{
    [Theory]
    [InlineData("Host=a,b;Port=5432,5433", "a:5432,b:5433")]
    [InlineData("Host=a, b ;Port= 5432 , 5433", "a:5432,b:5433")]
    [InlineData("Server=a,b;Port=1,2", "a:1,b:2")]
    [InlineData("Host=::1,b;Port=1,2", "[::1]:1,b:2")]
    [InlineData("Host=a,b;Port=5433", "a,b")]
    [InlineData("Host=a:1,b:2", "a:1,b:2")]
    public void Host_and_port_lists_become_npgsql_hosts(string connectionString, string expectedHost)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize(connectionString + ";Target Session Attributes=prefer-primary"));

        Assert.Equal(expectedHost, builder.Host);
        Assert.Equal("prefer-primary", builder.TargetSessionAttributes);
    }

    [Fact]
    public void Other_settings_survive_unchanged_even_quoted_ones()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Normalize("Host=a,b;Port=1,2;Username=app;Password='p;a=s\"s';Database=db;Timeout=7"));

        Assert.Equal(("app", "p;a=s\"s", "db", 7), (builder.Username, builder.Password, builder.Database, builder.Timeout));
    }

    [Theory]
    [InlineData("Host=a,b;Port=1,2,3", "names 2 host(s) and 3 ports")]
    [InlineData("Port=1,2", "names 0 host(s) and 2 ports")]
    [InlineData("Host=a,b;Port=1,x", "entry 2 is not a TCP port number")]
    [InlineData("Host=a,b;Port=1,70000", "entry 2 is not a TCP port number")]
    [InlineData("Host=a:5,b;Port=1,2", "its host 1 is empty, a socket folder or already names a port")]
    [InlineData("Host=/tmp,b;Port=1,2", "its host 1 is empty, a socket folder or already names a port")]
    [InlineData("Host=a;NoSuchKeyword=1", "is not a valid Npgsql connection string")]
    public void Unusable_connection_strings_are_explained(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Normalize(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, PostgresConnectionString.Problem(connectionString), StringComparison.Ordinal);
    }
}

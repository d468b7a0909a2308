using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Storage.SampleHost.Tests;

/// <summary>Requests and responses in the host's JSON (<see cref="SampleHost.JsonOptions"/>).</summary>
public static class Http
{
    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T body)
        => client.PostAsJsonAsync(url, body, SampleHost.JsonOptions);

    public static Task<HttpResponseMessage> PutJsonAsync<T>(this HttpClient client, string url, T body)
        => client.PutAsJsonAsync(url, body, SampleHost.JsonOptions);

    public static Task<HttpResponseMessage> PatchJsonAsync<T>(this HttpClient client, string url, T body)
        => client.PatchAsJsonAsync(url, body, SampleHost.JsonOptions);

    /// <summary>Sends raw text as an application/json body.</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string? json)
        => client.SendAsync(new HttpRequestMessage(method, url)
        {
            Content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        });

    /// <summary>Asserts the status and reads the body as <typeparamref name="T"/>.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, SampleHost.JsonOptions) ?? throw new InvalidOperationException("null body");
    }

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
        => await (await client.GetAsync(url)).ReadAsync<T>(expected);

    /// <summary>Asserts an RFC 7807 problem with this status and returns its JSON.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>Asserts a 422 naming <paramref name="field"/>.</summary>
    public static async Task AssertInvalidAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    /// <summary>The <c>{name: value}</c> body of routes that answer one value.</summary>
    public static async Task<T> ReadValueAsync<T>(this HttpResponseMessage response, string name)
    {
        var body = await response.ReadAsync<JsonElement>();
        return body.GetProperty(name).Deserialize<T>(SampleHost.JsonOptions)!;
    }
}

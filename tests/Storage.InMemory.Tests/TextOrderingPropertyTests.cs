using FsCheck;
using FsCheck.Fluent;

namespace Storage.InMemory.Tests;

/// <summary><see cref="StorageOrdering.CompareText"/> is code-point order (PostgreSQL's COLLATE "C" over UTF-8).</summary>
public sealed class TextOrderingPropertyTests
{
    // Characters around the places UTF-16 and code-point order part: ASCII, the BMP below and above the surrogates, and
    // characters beyond it (surrogate pairs), so shared prefixes and first differences of every sort come up. (Text
    // with a lone surrogate cannot be stored: validation refuses it.)
    private static readonly Gen<string> Texts = Gen.ListOf(Gen.Elements("a", "b", "z", "é", "\uD7FF", "\uE000", "\uFFFD", "\U00010000", "\U0001F600", "\U0010FFFF"))
        .Select(string.Concat);

    [Fact]
    public void CompareText_orders_by_code_point()
    {
        Prop.ForAll(Arb.From(Texts), Arb.From(Texts), (x, y) =>
        {
            var expected = Math.Sign(CodePoints(x).AsSpan().SequenceCompareTo(CodePoints(y)));
            Assert.Equal(expected, Math.Sign(StorageOrdering.CompareText(x, y)));
            Assert.Equal(-expected, Math.Sign(StorageOrdering.CompareText(y, x)));
            Assert.Equal(0, StorageOrdering.CompareText(x, new string(x.AsSpan())));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void CompareText_puts_null_first_and_a_prefix_before_its_extensions()
    {
        Assert.True(StorageOrdering.CompareText(null, "") < 0);
        Assert.True(StorageOrdering.CompareText("", null) > 0);
        Assert.Equal(0, StorageOrdering.CompareText(null, null));
        Assert.True(StorageOrdering.CompareText("ab", "abc") < 0);
        Assert.True(StorageOrdering.CompareText("\uFFFD", "\uD83D\uDE00") < 0);
    }

    private static int[] CodePoints(string text) => [.. text.EnumerateRunes().Select(r => r.Value)];
}

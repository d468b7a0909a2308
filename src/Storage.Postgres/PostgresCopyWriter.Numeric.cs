using System.Buffers.Binary;

namespace Storage.Postgres;

/// <summary>The <c>numeric</c> field, from a <see cref="decimal"/>.</summary>
internal sealed partial class PostgresCopyWriter
{
    private const int NumericBase = 10_000;
    private const int DigitsPerNumericDigit = 4;
    private const ushort NumericPositive = 0x0000;
    private const ushort NumericNegative = 0x4000;

    /// <summary>A decimal has at most 29 decimal digits: 8 numeric digits, 9 when its scale splits them unevenly.</summary>
    private const int MaxNumericDigits = 9;

    private static ReadOnlySpan<int> PowersOf10 => [1, 10, 100, 1000];

    /// <summary>
    /// A <c>numeric</c>: the digit count, weight, sign and display scale (the decimal's scale: 12.30m keeps two places),
    /// then base-10000 digits aligned on the decimal point, without trailing zero digits (zero has none).
    /// </summary>
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = new UInt128((uint)bits[2], ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        int scale = value.Scale;

        // Digits are found from the last one up and stored from the end of the span.
        Span<short> digits = stackalloc short[MaxNumericDigits];
        var count = 0;
        var weight = -(scale / DigitsPerNumericDigit) - 1;

        // A scale that is not a multiple of 4 leaves a partial digit after the point: it is padded with zeros.
        var partial = scale % DigitsPerNumericDigit;
        if (partial > 0)
        {
            (mantissa, var remainder) = UInt128.DivRem(mantissa, (uint)PowersOf10[partial]);
            if (remainder != 0)
            {
                digits[^++count] = (short)((int)remainder * PowersOf10[DigitsPerNumericDigit - partial]);
                weight--;
            }
        }

        while (mantissa != 0)
        {
            (mantissa, var remainder) = UInt128.DivRem(mantissa, NumericBase);
            if (count == 0 && remainder == 0)
            {
                // A trailing zero digit is not sent; the weight says where the digits stand.
                weight++;
            }
            else
            {
                digits[^++count] = (short)remainder;
            }
        }

        weight += count;
        var field = Field((4 + count) * sizeof(short));
        BinaryPrimitives.WriteInt16BigEndian(field, (short)count);
        BinaryPrimitives.WriteInt16BigEndian(field[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(field[4..], value < 0 ? NumericNegative : NumericPositive);
        BinaryPrimitives.WriteInt16BigEndian(field[6..], (short)scale);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(field[(8 + (2 * i))..], digits[MaxNumericDigits - count + i]);
        }
    }
}

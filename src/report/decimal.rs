//! Whole numbers written as decimal text straight into a report's buffer,
//! without a `String` per number (the JSON and CSV row writers use them).

/// Appends a whole number in decimal, as `serde_json` and `to_string`
/// write it: eight digits at a time, made together in one `u64`, copied
/// whole and the excess cut (a copy of fixed length is a move, one of a
/// varying length a call to `memcpy` that mispredicts).
#[inline]
pub(crate) fn uint(out: &mut Vec<u8>, n: u64) {
    if n >= EIGHT {
        return long_uint(out, n);
    }
    let d = eight_digits(n as u32);
    // The leading zeros are the low bytes that are 0 (all but the last digit of 0).
    let zeros = (d.trailing_zeros() / 8).min(7);
    let at = out.len();
    out.extend_from_slice(&((d >> (zeros * 8)) | ASCII_ZEROS).to_le_bytes());
    out.truncate(at + 8 - zeros as usize);
}

/// 10⁸: numbers below it have eight digits at most.
const EIGHT: u64 = 100_000_000;

/// [`uint`] of a number of more than eight digits (rare: apart from the
/// common case, which is made inline and so must stay small).
#[cold]
#[inline(never)]
fn long_uint(out: &mut Vec<u8>, n: u64) {
    uint(out, n / EIGHT);
    // Below 10⁸: the cast keeps the value.
    out.extend_from_slice(&(eight_digits((n % EIGHT) as u32) | ASCII_ZEROS).to_le_bytes());
}

/// `'0'` in each byte of a `u64`.
const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// The eight decimal digits of `n` (below 10⁸, with leading zeros) as the
/// bytes of a `u64`, values 0–9, the first digit in the lowest byte (the
/// first in memory): split into halves of four digits, then pairs, then
/// digits, each step on all lanes at once by multiplying with a reciprocal.
fn eight_digits(n: u32) -> u64 {
    let (hi, lo) = (n / 10_000, n % 10_000);
    // Two 32-bit lanes of four digits: x / 100 = (x * 5243) >> 19 for x < 43 699.
    let v = u64::from(hi) | (u64::from(lo) << 32);
    let hundreds = ((v * 5243) >> 19) & 0x0000_007f_0000_007f;
    let v = hundreds | ((v - hundreds * 100) << 16);
    // Four 16-bit lanes of two digits: x / 10 = (x * 103) >> 10 for x < 179.
    let tens = ((v * 103) >> 10) & 0x000f_000f_000f_000f;
    tens | ((v - tens * 10) << 8)
}

/// Appends a signed whole number in decimal, as `to_string` writes it.
#[inline]
pub(crate) fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_to_string_writes_them() {
        for n in [0i64, 1, -1, 9, 10, 12345, -98765, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            int(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
        let mut out = Vec::new();
        uint(&mut out, u64::MAX);
        assert_eq!(String::from_utf8(out).unwrap(), u64::MAX.to_string());
        // Each number of digits, at its ends and in between, where eight
        // digits at a time meet, and appended after other text.
        let mut p = 1u64;
        for _ in 0..20 {
            for n in [
                p - 1,
                p,
                p + 1,
                p / 2 * 3,
                p.saturating_mul(7).saturating_add(p / 3),
            ] {
                let mut out = b"x".to_vec();
                uint(&mut out, n);
                assert_eq!(String::from_utf8(out).unwrap(), format!("x{n}"));
            }
            p = p.saturating_mul(10);
        }
    }
}

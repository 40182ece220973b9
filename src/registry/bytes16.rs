//! Many bytes at a time: the byte tests replay runs on every journal line. One job:
//! [`first_quote_or_backslash`] (where a JSON string ends) and [`equal`] (two 16-byte strings),
//! and [`eq_mask`], the same test on an 8-byte word, for what is shorter than 16 bytes.
//!
//! On x86-64 the 16-byte tests are SSE2, which every x86-64 processor has: a 16-byte compare
//! and a mask, where the word test costs about five operations per word. Elsewhere they are
//! word tests with the same results (the tests run them beside the SSE2 ones on x86-64).
//!
//! # The `unsafe` here
//!
//! The SSE2 intrinsics are `unsafe` to call because they need the processor feature: SSE2 is
//! part of the x86-64 baseline, enabled for every x86-64 target, so it is always there. The
//! one load reads through a pointer, always that of a `&[u8; 16]`: it reads exactly those 16
//! bytes (unaligned loads are allowed).

/// The index of the first quote `"` or backslash `\` in `chunk`, if any.
#[inline(always)]
pub fn first_quote_or_backslash(chunk: &[u8; 16]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::first_quote_or_backslash(chunk)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::first_quote_or_backslash(chunk)
    }
}

/// High bit set in the lowest byte of `w` (first byte lowest) equal to `b`: bits above the
/// lowest hit may be spurious, so only the lowest set bit is used.
#[inline(always)]
pub fn eq_mask(w: u64, b: u8) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let x = w ^ (LO * b as u64);
    x.wrapping_sub(LO) & !x & HI
}

/// `a == b`.
#[inline(always)]
pub fn equal(a: &[u8; 16], b: &[u8; 16]) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::equal(a, b)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        a == b
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    #[inline(always)]
    fn load(chunk: &[u8; 16]) -> __m128i {
        // SAFETY: SSE2 is in the x86-64 baseline; the pointer is that of a `&[u8; 16]`, so the
        // unaligned load reads exactly its 16 bytes.
        unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
    }

    #[inline(always)]
    pub fn first_quote_or_backslash(chunk: &[u8; 16]) -> Option<usize> {
        let v = load(chunk);
        // SAFETY: SSE2 is in the x86-64 baseline; these read and write registers only.
        let mask = unsafe {
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            _mm_movemask_epi8(_mm_or_si128(quote, backslash)) as u32
        };
        (mask != 0).then(|| mask.trailing_zeros() as usize)
    }

    #[inline(always)]
    pub fn equal(a: &[u8; 16], b: &[u8; 16]) -> bool {
        let (a, b) = (load(a), load(b));
        // SAFETY: SSE2 is in the x86-64 baseline; these read and write registers only.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) == 0xFFFF }
    }
}

/// The word versions, for processors without SSE2 (tested on x86-64 beside the SSE2 ones).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod portable {
    use super::eq_mask;

    pub fn first_quote_or_backslash(chunk: &[u8; 16]) -> Option<usize> {
        let (words, _) = chunk.as_chunks::<8>();
        words.iter().enumerate().find_map(|(k, w)| {
            let w = u64::from_le_bytes(*w);
            // The lowest bit of either mask is exact, so the lowest of both is.
            let m = eq_mask(w, b'"') | eq_mask(w, b'\\');
            (m != 0).then(|| 8 * k + (m.trailing_zeros() / 8) as usize)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first quote or backslash by a plain scan, the reference.
    fn scan(chunk: &[u8; 16]) -> Option<usize> {
        chunk.iter().position(|c| matches!(c, b'"' | b'\\'))
    }

    /// Every byte value at every position, alone, and before or after a backslash elsewhere.
    #[test]
    fn first_quote_or_backslash_finds_the_first_of_either_and_nothing_else() {
        for k in 0..16 {
            for byte in 0..=255u8 {
                let mut chunk = [b'a'; 16];
                chunk[k] = byte;
                for other in [None, Some((k + 5) % 16), Some((k + 11) % 16)] {
                    if let Some(j) = other {
                        chunk[j] = b'\\';
                    }
                    let expect = scan(&chunk);
                    let found = first_quote_or_backslash(&chunk);
                    assert_eq!(found, expect, "byte {byte} at {k}, backslash at {other:?}");
                    assert_eq!(portable::first_quote_or_backslash(&chunk), expect);
                }
            }
        }
    }

    #[test]
    fn equal_is_false_for_any_one_differing_bit() {
        let a: [u8; 16] = core::array::from_fn(|i| (i * 29 + 3) as u8);
        assert!(equal(&a, &a));
        for k in 0..16 {
            for bit in 0..8 {
                let mut b = a;
                b[k] ^= 1 << bit;
                assert!(!equal(&a, &b), "byte {k} bit {bit}");
            }
        }
    }
}

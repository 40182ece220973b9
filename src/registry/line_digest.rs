//! The digests of journal lines, two lines at a time. One job: the SHA-256 that
//! [`super::event::line_hash`] computes, for a pair of lines, faster on one core.
//!
//! # Why two at a time
//!
//! With the SHA extensions (SHA-NI), a SHA-256 block is a chain of 32 `sha256rnds2`
//! instructions, each waiting for the one before; the processor could start a second chain in
//! the gaps. A journal line's digest does not depend on the previous line's digest (the
//! previous hash is part of the line's text, already written), so two lines can be hashed as
//! two interleaved chains. On the 2-core AMD EPYC these figures were taken on, one core hashes
//! ~590-byte lines at 1.4 GB/s one at a time and 2.0 GB/s two at a time.
//!
//! Without SHA-NI (or off x86-64), [`line_hash_pair`] is two calls of `line_hash`.
//!
//! # The `unsafe` here
//!
//! The interleaved rounds use the `core::arch` SHA intrinsics. They are entered only after
//! `is_x86_feature_detected!` has confirmed `sha`, `sse4.1` and `ssse3` (the one `unsafe`
//! call, in [`line_hash_pair`]), and every 16-byte load reads inside a `&[u8; 64]` block.
//! The tests compare the result with the `sha2` crate on every length across two blocks.

use super::event::{HASH_SUFFIX_LEN, line_hash};

/// The digests of two lines (each without its newline), as `line_hash` gives them.
pub fn line_hash_pair(a: &[u8], b: &[u8]) -> (Option<[u8; 32]>, Option<[u8; 32]>) {
    #[cfg(target_arch = "x86_64")]
    {
        if let (Some(ma), Some(mb)) = (canonical_part(a), canonical_part(b))
            && sha_ni::available()
        {
            // SAFETY: the CPU has the features `sha_ni::pair` is compiled for (checked just
            // above).
            let (da, db) = unsafe { sha_ni::pair(ma, mb) };
            return (Some(da), Some(db));
        }
    }
    (line_hash(a), line_hash(b))
}

/// The part of a line the digest covers before its closing `}`: the line without its
/// `,"hash":"…"}` suffix. `None` when the line does not end in one (as `line_hash`).
fn canonical_part(line: &[u8]) -> Option<&[u8]> {
    let n = line.len();
    let has_suffix =
        n >= HASH_SUFFIX_LEN + 2 && line[n - HASH_SUFFIX_LEN..].starts_with(b",\"hash\":\"");
    has_suffix.then(|| &line[..n - HASH_SUFFIX_LEN])
}

/// The last one or two blocks of the message `part` + `}`: the bytes after the last full
/// block of `part`, the `}`, the padding bit and the length in bits (FIPS 180-4, 5.1.1).
/// Returns the blocks and how many of them (1 or 2) are used.
fn final_blocks(part: &[u8]) -> ([[u8; 64]; 2], usize) {
    let rest = part.as_chunks::<64>().1;
    let mut blocks = [[0u8; 64]; 2];
    let tail = blocks.as_flattened_mut();
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = b'}';
    tail[rest.len() + 1] = 0x80;
    // The message is one byte longer than `part` (the `}`); 8 bytes of length must fit after
    // the padding bit.
    let used = if rest.len() + 2 + 8 <= 64 { 1 } else { 2 };
    let bits = (part.len() as u64 + 1) * 8;
    tail[used * 64 - 8..used * 64].copy_from_slice(&bits.to_be_bytes());
    (blocks, used)
}

#[cfg(target_arch = "x86_64")]
mod sha_ni {
    use core::arch::x86_64::*;

    use super::final_blocks;

    /// Whether this CPU can run [`pair`] (the answer is cached by the standard library).
    pub fn available() -> bool {
        is_x86_feature_detected!("sha")
            && is_x86_feature_detected!("sse4.1")
            && is_x86_feature_detected!("ssse3")
    }

    /// The round constants (FIPS 180-4, 4.2.2).
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    /// The initial hash value (FIPS 180-4, 5.3.3).
    const H0: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];

    /// One message's working state in the register order `sha256rnds2` wants.
    #[derive(Clone, Copy)]
    struct Lane {
        abef: __m128i,
        cdgh: __m128i,
    }

    /// The digests of `a + "}"` and `b + "}"`, their blocks interleaved.
    ///
    /// # Safety
    /// The CPU must have `sha`, `sse4.1` and `ssse3` ([`available`]).
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    pub unsafe fn pair(a: &[u8], b: &[u8]) -> ([u8; 32], [u8; 32]) {
        let (tail_a, used_a) = final_blocks(a);
        let (tail_b, used_b) = final_blocks(b);
        let mut blocks_a = a.as_chunks::<64>().0.iter().chain(&tail_a[..used_a]);
        let mut blocks_b = b.as_chunks::<64>().0.iter().chain(&tail_b[..used_b]);
        let mut la = start();
        let mut lb = start();
        loop {
            match (blocks_a.next(), blocks_b.next()) {
                (Some(x), Some(y)) => compress2(&mut la, &mut lb, x, y),
                // The longer line's last blocks, alone.
                (Some(x), None) => {
                    compress1(&mut la, x);
                    blocks_a.for_each(|x| compress1(&mut la, x));
                    break;
                }
                (None, Some(y)) => {
                    compress1(&mut lb, y);
                    blocks_b.for_each(|y| compress1(&mut lb, y));
                    break;
                }
                (None, None) => break,
            }
        }
        (digest(la), digest(lb))
    }

    #[inline]
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    fn start() -> Lane {
        let dcba = words(&H0, 0);
        let hgfe = words(&H0, 4);
        let cdab = _mm_shuffle_epi32(dcba, 0xB1);
        let efgh = _mm_shuffle_epi32(hgfe, 0x1B);
        Lane {
            abef: _mm_alignr_epi8(cdab, efgh, 8),
            cdgh: _mm_blend_epi16(efgh, cdab, 0xF0),
        }
    }

    #[inline]
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    fn digest(l: Lane) -> [u8; 32] {
        let feba = _mm_shuffle_epi32(l.abef, 0x1B);
        let dchg = _mm_shuffle_epi32(l.cdgh, 0xB1);
        let dcba = _mm_blend_epi16(feba, dchg, 0xF0);
        let hgef = _mm_alignr_epi8(dchg, feba, 8);
        let mut out = [0u8; 32];
        for (o, w) in out
            .chunks_exact_mut(4)
            .zip(lanes(dcba).into_iter().chain(lanes(hgef)))
        {
            o.copy_from_slice(&w.to_be_bytes());
        }
        out
    }

    /// The four 32-bit lanes of `v`, lowest first.
    #[inline]
    #[target_feature(enable = "sse4.1")]
    fn lanes(v: __m128i) -> [u32; 4] {
        [
            _mm_extract_epi32(v, 0) as u32,
            _mm_extract_epi32(v, 1) as u32,
            _mm_extract_epi32(v, 2) as u32,
            _mm_extract_epi32(v, 3) as u32,
        ]
    }

    /// Four words of `table` from `at`, lowest first.
    #[inline]
    #[target_feature(enable = "sse4.1")]
    fn words(table: &[u32], at: usize) -> __m128i {
        _mm_set_epi32(
            table[at + 3] as i32,
            table[at + 2] as i32,
            table[at + 1] as i32,
            table[at] as i32,
        )
    }

    /// The block's 16 message words, big-endian, four to a register.
    #[inline]
    #[target_feature(enable = "ssse3")]
    fn load(block: &[u8; 64]) -> [__m128i; 4] {
        let swap = _mm_set_epi64x(0x0C0D_0E0F_0809_0A0B, 0x0405_0607_0001_0203);
        let at = |i: usize| {
            // SAFETY: bytes 16·i .. 16·i + 16 lie inside the 64-byte block (i < 4); the load
            // is unaligned.
            let w = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * i).cast()) };
            _mm_shuffle_epi8(w, swap)
        };
        [at(0), at(1), at(2), at(3)]
    }

    /// Four rounds with message words `w` and the constants of quad-round `r`.
    #[inline]
    #[target_feature(enable = "sha,sse4.1")]
    fn rounds4(l: &mut Lane, w: __m128i, r: usize) {
        let t1 = _mm_add_epi32(w, words(&K, 4 * r));
        l.cdgh = _mm_sha256rnds2_epu32(l.cdgh, l.abef, t1);
        let t2 = _mm_shuffle_epi32(t1, 0x0E);
        l.abef = _mm_sha256rnds2_epu32(l.abef, l.cdgh, t2);
    }

    /// The next four message words from the last sixteen (`w0` oldest), into `w0`.
    macro_rules! schedule {
        ($w0:ident, $w1:ident, $w2:ident, $w3:ident) => {{
            let t1 = _mm_sha256msg1_epu32($w0, $w1);
            let t2 = _mm_alignr_epi8($w3, $w2, 4);
            $w0 = _mm_sha256msg2_epu32(_mm_add_epi32(t1, t2), $w3);
        }};
    }

    /// One block of each of two messages, their rounds interleaved.
    #[inline]
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    fn compress2(a: &mut Lane, b: &mut Lane, block_a: &[u8; 64], block_b: &[u8; 64]) {
        let (save_a, save_b) = (*a, *b);
        let [mut a0, mut a1, mut a2, mut a3] = load(block_a);
        let [mut b0, mut b1, mut b2, mut b3] = load(block_b);
        rounds4(a, a0, 0);
        rounds4(b, b0, 0);
        rounds4(a, a1, 1);
        rounds4(b, b1, 1);
        rounds4(a, a2, 2);
        rounds4(b, b2, 2);
        rounds4(a, a3, 3);
        rounds4(b, b3, 3);
        // Written out (not a loop) so that the message words stay in registers.
        macro_rules! sixteen {
            ($r:expr) => {
                schedule!(a0, a1, a2, a3);
                schedule!(b0, b1, b2, b3);
                rounds4(a, a0, $r);
                rounds4(b, b0, $r);
                schedule!(a1, a2, a3, a0);
                schedule!(b1, b2, b3, b0);
                rounds4(a, a1, $r + 1);
                rounds4(b, b1, $r + 1);
                schedule!(a2, a3, a0, a1);
                schedule!(b2, b3, b0, b1);
                rounds4(a, a2, $r + 2);
                rounds4(b, b2, $r + 2);
                schedule!(a3, a0, a1, a2);
                schedule!(b3, b0, b1, b2);
                rounds4(a, a3, $r + 3);
                rounds4(b, b3, $r + 3);
            };
        }
        sixteen!(4);
        sixteen!(8);
        sixteen!(12);
        a.abef = _mm_add_epi32(a.abef, save_a.abef);
        a.cdgh = _mm_add_epi32(a.cdgh, save_a.cdgh);
        b.abef = _mm_add_epi32(b.abef, save_b.abef);
        b.cdgh = _mm_add_epi32(b.cdgh, save_b.cdgh);
    }

    /// One block of one message (the longer line's last blocks).
    #[inline]
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    fn compress1(a: &mut Lane, block_a: &[u8; 64]) {
        let save = *a;
        let [mut a0, mut a1, mut a2, mut a3] = load(block_a);
        rounds4(a, a0, 0);
        rounds4(a, a1, 1);
        rounds4(a, a2, 2);
        rounds4(a, a3, 3);
        macro_rules! sixteen {
            ($r:expr) => {
                schedule!(a0, a1, a2, a3);
                rounds4(a, a0, $r);
                schedule!(a1, a2, a3, a0);
                rounds4(a, a1, $r + 1);
                schedule!(a2, a3, a0, a1);
                rounds4(a, a2, $r + 2);
                schedule!(a3, a0, a1, a2);
                rounds4(a, a3, $r + 3);
            };
        }
        sixteen!(4);
        sixteen!(8);
        sixteen!(12);
        a.abef = _mm_add_epi32(a.abef, save.abef);
        a.cdgh = _mm_add_epi32(a.cdgh, save.cdgh);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// A line of `part_len` bytes before the hash suffix (any bytes; the digest does not read
    /// them as JSON), with the suffix.
    fn line(part_len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut l: Vec<u8> = (0..part_len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        l.extend_from_slice(b",\"hash\":\"");
        l.extend_from_slice(&[b'a'; 64]);
        l.extend_from_slice(b"\"}");
        l
    }

    /// SHA-256 of `part + "}"`, by the `sha2` crate: the reference.
    fn reference(part: &[u8]) -> [u8; 32] {
        let mut m = part.to_vec();
        m.push(b'}');
        Sha256::digest(&m).into()
    }

    #[test]
    fn pairs_of_every_length_across_three_blocks_match_sha2() {
        // Part lengths 2..200 (a line needs two bytes before its suffix) cover every tail size (including the 54-, 55- and 56-byte
        // boundaries where the padding takes a second block) for 0 to 3 full blocks, paired
        // with shorter, equal and longer partners.
        for len_a in 2..200usize {
            for len_b in [2, len_a / 2 + 1, len_a, len_a + 63, len_a + 64, 590] {
                let (a, b) = (line(len_a, len_a as u64), line(len_b, 7 + len_b as u64));
                let (da, db) = line_hash_pair(&a, &b);
                let part = |l: &[u8]| l[..l.len() - HASH_SUFFIX_LEN].to_vec();
                assert_eq!(da, Some(reference(&part(&a))), "a {len_a}, b {len_b}");
                assert_eq!(db, Some(reference(&part(&b))), "a {len_a}, b {len_b}");
                assert_eq!((da, db), (line_hash(&a), line_hash(&b)));
            }
        }
    }

    #[test]
    fn a_line_without_its_hash_suffix_has_no_digest_and_does_not_spoil_its_partner() {
        let good = line(300, 1);
        for bad in [&b""[..], b"{}", &good[..good.len() - 1], &good[..80]] {
            assert_eq!(line_hash_pair(bad, &good), (None, line_hash(&good)));
            assert_eq!(line_hash_pair(&good, bad), (line_hash(&good), None));
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_interleaved_rounds_run_here_and_match_sha2() {
        if !sha_ni::available() {
            eprintln!("no SHA extensions on this CPU: the interleaved path is not exercised");
            return;
        }
        for (len_a, len_b) in [(2, 2), (55, 56), (64, 2), (590, 520), (1000, 3)] {
            let a = line(len_a, 3);
            let b = line(len_b, 4);
            let (pa, pb) = (canonical_part(&a).unwrap(), canonical_part(&b).unwrap());
            // SAFETY: `available` said the CPU has the features.
            let (da, db) = unsafe { sha_ni::pair(pa, pb) };
            assert_eq!((da, db), (reference(pa), reference(pb)), "{len_a}, {len_b}");
        }
    }
}

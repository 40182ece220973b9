//! Equality of the short byte strings replay compares on every line (hashes, command ids,
//! timestamps, the actor), without a call to `memcmp`. One job: `same`.
//!
//! A replay compares about a dozen such strings per journal line, most of them equal: the
//! `prev_hash` with the hash of the line before, a command id or timestamp with the previous
//! line's. Each `==` on slices is a call into the C library's `memcmp`, whose entry and
//! dispatch cost more than comparing 64 bytes. Here the comparison is inlined: 16 bytes at a
//! time ([`super::bytes16::equal`], an SSE2 compare on x86-64) for strings of 16 bytes or
//! more, whose last 16 bytes are compared once more in place of a byte tail (a 64-byte digest
//! is five compares, a 20-byte timestamp two); shorter strings as two overlapping words.

use super::bytes16;

/// `a == b`, byte for byte, compared in line.
#[inline(always)]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if let (Some((_, ta)), Some((_, tb))) = (a.split_last_chunk::<16>(), b.split_last_chunk::<16>())
    {
        let (wa, _) = a.as_chunks::<16>();
        let (wb, _) = b.as_chunks::<16>();
        let mut all = true;
        for (x, y) in wa.iter().zip(wb) {
            all &= bytes16::equal(x, y);
        }
        // The last 16 bytes, overlapping the chunks before when n is not a multiple of 16.
        return all && bytes16::equal(ta, tb);
    }
    if let (Some((ha, _)), Some((_, la)), Some((hb, _)), Some((_, lb))) = (
        a.split_first_chunk::<8>(),
        a.split_last_chunk::<8>(),
        b.split_first_chunk::<8>(),
        b.split_last_chunk::<8>(),
    ) {
        // The first and the last eight bytes, overlapping when n < 16.
        return u64::from_ne_bytes(*ha) == u64::from_ne_bytes(*hb)
            && u64::from_ne_bytes(*la) == u64::from_ne_bytes(*lb);
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_agrees_with_slice_equality_for_every_length_and_every_differing_byte() {
        for len in 0..=80usize {
            let a: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert!(same(&a, &a.clone()), "len {len}");
            // One byte changed, at every position (words and tail alike).
            for k in 0..len {
                let mut b = a.clone();
                b[k] ^= 0x40;
                assert!(!same(&a, &b), "len {len}, byte {k}");
            }
            // A prefix, and a longer string with the same start.
            if len > 0 {
                assert!(!same(&a, &a[..len - 1]), "len {len}, shorter");
            }
            let mut longer = a.clone();
            longer.push(0);
            assert!(!same(&a, &longer), "len {len}, longer");
        }
    }
}

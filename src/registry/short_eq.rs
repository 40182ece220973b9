//! Equality of the short byte strings replay compares on every line (hashes, command ids,
//! timestamps, the actor), without a call to `memcmp`. One job: `same`.
//!
//! A replay compares about a dozen such strings per journal line, most of them equal: the
//! `prev_hash` with the hash of the line before, a command id or timestamp with the previous
//! line's. Each `==` on slices is a call into the C library's `memcmp`, whose entry and
//! dispatch cost more than comparing 64 bytes. Here the comparison is inlined as 8-byte
//! words (a 64-byte digest is eight loads and compares on each side, which the compiler can
//! turn into vector compares when the length is known).

/// `a == b`, byte for byte, compared eight bytes at a time in line.
#[inline(always)]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (wa, ta) = a.as_chunks::<8>();
    let (wb, tb) = b.as_chunks::<8>();
    let mut diff = 0u64;
    for (x, y) in wa.iter().zip(wb) {
        diff |= u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y);
    }
    let mut tail = 0u8;
    for (x, y) in ta.iter().zip(tb) {
        tail |= x ^ y;
    }
    diff == 0 && tail == 0
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

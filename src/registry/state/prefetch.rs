//! Memory prefetch hints for replay. One job: ask the CPU to start loading a cache line that
//! the fold will need shortly, without waiting for it.
//!
//! Replay touches the command table and old blocks at random places in a few hundred MB; on
//! this class of machine each such miss costs ~0.3 µs (DRAM plus a nested-paging TLB walk),
//! and the fold used to wait for every one of them. Hashing a journal line takes about as
//! long, so the reader asks for the lines here before it hashes (see `State::prefetch`).

/// Hint that `*x` will be read soon. Never faults, never reads or writes memory as far as the
/// program can observe; a no-op where the hint is not available.
#[inline(always)]
pub fn fetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: `_mm_prefetch` is a hint: it does not dereference the pointer in the
        // language's sense and cannot fault, whatever the address; the pointer comes from a
        // live reference anyway. SSE, which it needs, is part of the x86_64 baseline.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

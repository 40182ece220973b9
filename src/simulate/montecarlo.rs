//! Monte Carlo over activity delivery: the probability that the protected target still holds
//! for a given transfer volume, and the largest volume that keeps that probability at or above
//! a chosen confidence.
//!
//! Model (written down because results depend on it):
//! - Each activity j delivers `d_j · m_j(t)` in every year, with one factor per activity and run,
//!   `d_j ~ Normal(1, σ_j)` truncated at 0 (σ_j = the activity's `uncertainty`). Under-delivery is
//!   systematic across years, the cautious reading.
//! - First transfers are a commitment: volume V is laid over vintages in the deterministic plan's
//!   order (`Allocation`), whatever the delivery; the host must still meet its target.
//! - The check per run mirrors `accounting` §5 in f64 (sampling may use floats; the deterministic
//!   accounting stays exact). A test keeps the two in agreement on the deterministic case.
//! - Reproducible: run `i` draws from its own ChaCha8 stream seeded by (seed, i), so results do
//!   not depend on the number of threads. Runs are split over the machine's cores.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The binding check of a CA method, in f64 tonnes, indexed by position in the period.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// EB(T) = E(T) + ΣFT/N ≤ target
    Averaging {
        target_idx: usize,
        n: f64,
        target: f64,
    },
    /// Σ_t (E(t) + FT(t)) ≤ budget
    Budget { budget: f64 },
    /// E(t) + FT(t) ≤ level(t) for every year (multi-year trajectory)
    TrajectoryEveryYear { levels: Vec<f64> },
    /// E(T) + FT(T) ≤ target (single-year with indicative trajectory)
    TargetYearOnly { target_idx: usize, target: f64 },
}

impl Check {
    /// Does the emissions path `e` with first transfers `ft` (by vintage, same indexing) pass?
    pub fn passes(&self, e: &[f64], ft: &[f64]) -> bool {
        const EPS: f64 = 1e-6;
        match self {
            Check::Averaging {
                target_idx,
                n,
                target,
            } => e[*target_idx] + ft.iter().sum::<f64>() / n <= target + EPS,
            Check::Budget { budget } => {
                e.iter().zip(ft).map(|(a, b)| a + b).sum::<f64>() <= budget + EPS
            }
            Check::TrajectoryEveryYear { levels } => e
                .iter()
                .zip(ft)
                .zip(levels)
                .all(|((a, b), l)| a + b <= l + EPS),
            Check::TargetYearOnly { target_idx, target } => {
                e[*target_idx] + ft[*target_idx] <= target + EPS
            }
        }
    }
}

/// The order in which a volume fills vintages: slots (year index, capacity in units).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Allocation {
    pub slots: Vec<(usize, u64)>,
}

impl Allocation {
    pub fn capacity(&self) -> u64 {
        self.slots.iter().map(|s| s.1).sum()
    }
    /// First transfers by year index for volume `v` (filled slot by slot).
    pub fn lay(&self, v: u64, years: usize) -> Vec<f64> {
        let mut out = vec![0.0; years];
        let mut left = v;
        for &(y, cap) in &self.slots {
            if left == 0 {
                break;
            }
            let take = left.min(cap);
            out[y] += take as f64;
            left -= take;
        }
        out
    }
}

/// One uncertain activity: its σ and its in-scope mitigation by year index (tonnes).
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainActivity {
    pub sigma: f64,
    pub mitigation: Vec<f64>,
}

/// Inputs of a Monte Carlo study.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    /// Covered BAU by year index (tonnes): emissions before any activity.
    pub bau: Vec<f64>,
    pub activities: Vec<UncertainActivity>,
    pub check: Check,
    /// First transfers that happen whatever the volume (e.g. OMGE under the after-sop basis).
    pub base_ft: Vec<f64>,
    pub allocation: Allocation,
    /// Units transferred from activities outside the NDC's scope whose adjustment is kept
    /// apart from the NDC (`outside_scope_ca = separate`): they count in a volume but cannot
    /// put the target at risk. A volume's first `outside_volume` units are these; the rest is
    /// laid over `allocation`.
    pub outside_volume: u64,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct McParams {
    pub runs: usize,
    pub seed: u64,
    /// e.g. 0.95
    pub confidence: f64,
}

/// What the study found.
#[derive(Debug, Clone, PartialEq)]
pub struct McResult {
    pub runs: usize,
    /// Probability that the target holds with the requested volume.
    pub probability_meets_target: f64,
    /// Largest volume whose probability is ≥ confidence (within the allocation's capacity),
    /// counted as the requested volume is: outside-scope units included. 0 when the target
    /// misses the confidence even without transfers (`probability_without_transfers`).
    pub max_at_confidence: u64,
    /// Probability that the target holds with no transfers at all (delivery risk alone).
    pub probability_without_transfers: f64,
}

/// Progress and cancellation shared with a caller (the TUI shows progress; Esc cancels).
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub cancel: AtomicBool,
}

/// Standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn run_seed(seed: u64, run: usize) -> u64 {
    // splitmix64 of (seed, run): independent, reproducible streams per run
    let mut z = seed ^ (run as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Sampled emission paths, one row per run (row-major, `years` columns).
fn sample_paths(study: &Study, params: &McParams, progress: &Progress) -> Option<Vec<f64>> {
    let years = study.bau.len();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let mut paths = vec![0.0; params.runs * years];
    let chunk_runs = params.runs.div_ceil(threads).max(1);
    let cancelled = std::thread::scope(|scope| {
        let mut handles = vec![];
        for (ci, chunk) in paths.chunks_mut(chunk_runs * years).enumerate() {
            handles.push(scope.spawn(move || {
                for (k, row) in chunk.chunks_mut(years).enumerate() {
                    if progress.cancel.load(Ordering::Relaxed) {
                        return true;
                    }
                    let run = ci * chunk_runs + k;
                    let mut rng = ChaCha8Rng::seed_from_u64(run_seed(params.seed, run));
                    row.copy_from_slice(&study.bau);
                    for a in &study.activities {
                        let d = if a.sigma > 0.0 {
                            (1.0 + a.sigma * normal(&mut rng)).max(0.0)
                        } else {
                            1.0
                        };
                        for (r, m) in row.iter_mut().zip(&a.mitigation) {
                            *r -= d * m;
                        }
                    }
                    progress.done.fetch_add(1, Ordering::Relaxed);
                }
                false
            }));
        }
        handles.into_iter().any(|h| h.join().unwrap_or(true))
    });
    (!cancelled).then_some(paths)
}

fn share_passing(study: &Study, paths: &[f64], years: usize, v: u64) -> f64 {
    let mut ft = study.allocation.lay(v, years);
    for (f, b) in ft.iter_mut().zip(&study.base_ft) {
        *f += b;
    }
    let runs = paths.len() / years.max(1);
    if runs == 0 {
        return 0.0;
    }
    let ok = paths
        .chunks(years)
        .filter(|e| study.check.passes(e, &ft))
        .count();
    ok as f64 / runs as f64
}

/// Run the study for a requested volume. `None` when cancelled.
pub fn run(study: &Study, volume: u64, params: &McParams, progress: &Progress) -> Option<McResult> {
    let years = study.bau.len();
    if params.runs == 0 || years == 0 {
        return Some(McResult {
            runs: 0,
            probability_meets_target: 0.0,
            max_at_confidence: 0,
            probability_without_transfers: 0.0,
        });
    }
    let paths = sample_paths(study, params, progress)?;
    let in_scope = volume.saturating_sub(study.outside_volume);
    let probability = share_passing(study, &paths, years, in_scope);
    // largest v with P(v) ≥ confidence: P is non-increasing in v (more transfers never help),
    // so bisect on [0, capacity] with the same sampled paths (common random numbers).
    let cap = study.allocation.capacity();
    let (mut lo, mut hi) = (0u64, cap);
    let without = share_passing(study, &paths, years, 0);
    if without < params.confidence {
        return Some(McResult {
            runs: params.runs,
            probability_meets_target: probability,
            max_at_confidence: 0,
            probability_without_transfers: without,
        });
    }
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if share_passing(study, &paths, years, mid) >= params.confidence {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(McResult {
        runs: params.runs,
        probability_meets_target: probability,
        max_at_confidence: study.outside_volume + lo,
        probability_without_transfers: without,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study(sigma: f64) -> Study {
        // 3 years, target in the last: E = 100 − 10 = 90, target 95, N = 3
        Study {
            bau: vec![100.0, 100.0, 100.0],
            activities: vec![UncertainActivity {
                sigma,
                mitigation: vec![10.0, 10.0, 10.0],
            }],
            check: Check::Averaging {
                target_idx: 2,
                n: 3.0,
                target: 95.0,
            },
            base_ft: vec![0.0; 3],
            allocation: Allocation {
                slots: vec![(0, 10), (1, 10), (2, 10)],
            },
            outside_volume: 0,
        }
    }

    #[test]
    fn outside_scope_units_count_in_the_volume_but_not_against_the_target() {
        // the study above with 7 outside-scope units beside it: headroom stays 15 in scope,
        // so the largest safe volume is 7 + 15 = 22, a volume of 22 meets the target for sure
        // and 23 (16 in scope) never does
        let with_outside = Study {
            outside_volume: 7,
            ..study(0.0)
        };
        let p = McParams {
            runs: 200,
            seed: 1,
            confidence: 0.95,
        };
        let r = run(&with_outside, 22, &p, &Progress::default()).expect("run");
        assert_eq!((r.probability_meets_target, r.max_at_confidence), (1.0, 22));
        let r = run(&with_outside, 23, &p, &Progress::default()).expect("run");
        assert_eq!(r.probability_meets_target, 0.0);
        // a volume smaller than the outside-scope units puts nothing in scope
        let r = run(&with_outside, 5, &p, &Progress::default()).expect("run");
        assert_eq!(r.probability_meets_target, 1.0);
    }

    #[test]
    fn a_target_missed_without_transfers_leaves_no_safe_volume() {
        // target 85 below E(T) = 90: no volume is safe, and the study says why
        let mut missed = study(0.0);
        missed.check = Check::Averaging {
            target_idx: 2,
            n: 3.0,
            target: 85.0,
        };
        let p = McParams {
            runs: 100,
            seed: 1,
            confidence: 0.95,
        };
        let r = run(&missed, 0, &p, &Progress::default()).expect("run");
        assert_eq!(
            (r.max_at_confidence, r.probability_without_transfers),
            (0, 0.0)
        );
        let r = run(&study(0.0), 3, &p, &Progress::default()).expect("run");
        assert_eq!(r.probability_without_transfers, 1.0);
    }

    #[test]
    fn without_uncertainty_it_is_the_deterministic_answer() {
        // headroom = N·(95 − 90) = 15 units
        let r = run(
            &study(0.0),
            15,
            &McParams {
                runs: 200,
                seed: 1,
                confidence: 0.95,
            },
            &Progress::default(),
        )
        .expect("not cancelled");
        assert_eq!(r.probability_meets_target, 1.0);
        assert_eq!(r.max_at_confidence, 15);
        let r = run(
            &study(0.0),
            16,
            &McParams {
                runs: 200,
                seed: 1,
                confidence: 0.95,
            },
            &Progress::default(),
        )
        .expect("not cancelled");
        assert_eq!(r.probability_meets_target, 0.0);
    }

    #[test]
    fn uncertainty_lowers_the_safe_volume_and_is_reproducible() {
        let p = McParams {
            runs: 2000,
            seed: 42,
            confidence: 0.95,
        };
        let a = run(&study(0.3), 10, &p, &Progress::default()).expect("run");
        let b = run(&study(0.3), 10, &p, &Progress::default()).expect("run");
        assert_eq!(a, b);
        assert!(a.max_at_confidence < 15, "{a:?}");
        // d ≥ 1 − 1.645σ at 95 %: E(T) ≤ 100 − 10·(1 − 0.4935) = 95.065 → headroom ≈ 0 → max ≈ 0
        assert!(a.max_at_confidence <= 1, "{a:?}");
        // probability for V=10 ≈ P(100 − 10d + 10/3 ≤ 95) = P(d ≥ 0.8333) = P(z ≥ −0.5556) ≈ 0.71
        assert!((a.probability_meets_target - 0.71).abs() < 0.04, "{a:?}");
    }

    #[test]
    fn cancellation_stops_the_study() {
        let pr = Progress::default();
        pr.cancel.store(true, Ordering::Relaxed);
        assert!(
            run(
                &study(0.3),
                10,
                &McParams {
                    runs: 1000,
                    seed: 1,
                    confidence: 0.95
                },
                &pr
            )
            .is_none()
        );
    }

    #[test]
    fn checks_follow_the_rules_vectors() {
        // TV-1 case B: E(2030) = 88, 20 of vintage 2030: averaging 88 + 2 = 90 ✔, trajectory 108 ✘
        let e: Vec<f64> = (0..10).map(|i| 97.0 - i as f64).collect();
        let mut ft = vec![0.0; 10];
        ft[9] = 20.0;
        assert!(
            Check::Averaging {
                target_idx: 9,
                n: 10.0,
                target: 90.0
            }
            .passes(&e, &ft)
        );
        let levels: Vec<f64> = (0..10).map(|i| 99.0 - i as f64).collect();
        assert!(!Check::TrajectoryEveryYear { levels }.passes(&e, &ft));
        assert!(Check::Budget { budget: 945.0 }.passes(&e, &ft));
        assert!(!Check::Budget { budget: 944.0 }.passes(&e, &ft));
    }
}

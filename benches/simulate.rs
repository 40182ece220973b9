//! Simulation benchmarks: the deterministic simulation (plan + ledger + accounting) of every
//! prepared host scenario, and the Monte Carlo study at three sizes (runs × activities ×
//! years), up to 10,000 runs of 300 activities over 2021–2035.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ndc_workbench::scenario::builtin;
use ndc_workbench::simulate::montecarlo::{
    Allocation, Check, McParams, Progress, Study, UncertainActivity,
};
use ndc_workbench::simulate::{self, Params};
use std::hint::black_box;

fn deterministic(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulate");
    for id in ["bhutan", "vanuatu", "papua-new-guinea", "thailand"] {
        let Some(Ok(s)) = builtin::by_id(id) else {
            continue;
        };
        let p = Params::from_scenario(&s);
        g.bench_function(id, |b| {
            b.iter(|| {
                simulate::run(black_box(&s), black_box(&p)).map(|x| x.outcome.max_transferable)
            })
        });
    }
    g.finish();
}

/// A synthetic study: `acts` activities over `years` years with σ between 0.05 and 0.4.
fn synthetic(acts: usize, years: usize) -> Study {
    let activities = (0..acts)
        .map(|i| UncertainActivity {
            sigma: 0.05 + 0.35 * (i % 8) as f64 / 7.0,
            mitigation: (0..years)
                .map(|t| 1_000.0 + 10.0 * (i % 13) as f64 + 5.0 * t as f64)
                .collect(),
        })
        .collect::<Vec<_>>();
    let total: f64 = activities.iter().map(|a| a.mitigation[years - 1]).sum();
    Study {
        bau: vec![total * 3.0; years],
        check: Check::Averaging {
            target_idx: years - 1,
            n: years as f64,
            target: total * 2.05,
        },
        base_ft: vec![0.0; years],
        allocation: Allocation {
            slots: (0..years).map(|t| (t, (total * 0.02) as u64)).collect(),
        },
        outside_volume: 0,
        activities,
    }
}

fn monte_carlo(c: &mut Criterion) {
    let mut g = c.benchmark_group("monte_carlo");
    g.sample_size(10);
    for (runs, acts, years) in [
        (1_000usize, 100usize, 15usize),
        (5_000, 200, 15),
        (10_000, 300, 15),
    ] {
        let study = synthetic(acts, years);
        let params = McParams {
            runs,
            seed: 1,
            confidence: 0.95,
        };
        let v = study.allocation.capacity() / 2;
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{runs}x{acts}x{years}")),
            &study,
            |b, st| {
                b.iter(|| {
                    simulate::montecarlo::run(black_box(st), v, &params, &Progress::default())
                        .map(|r| r.max_at_confidence)
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, deterministic, monte_carlo);
criterion_main!(benches);

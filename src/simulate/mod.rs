//! simulate (under construction)
pub mod montecarlo;

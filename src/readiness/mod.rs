//! readiness (under construction)

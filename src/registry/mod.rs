//! registry (under construction)

//! budget (under construction)

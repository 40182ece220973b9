//! simulate (under construction)

//! accounting (under construction)

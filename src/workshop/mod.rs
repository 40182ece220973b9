//! workshop (under construction)

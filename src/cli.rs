//! Command-line definitions (clap derive). The headless commands live next to the domain they
//! call; this module only parses arguments and dispatches.

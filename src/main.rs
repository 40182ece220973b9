//! `ndc-workbench` binary: parse the command line, dispatch, map errors to exit codes.
fn main() {
    println!("ndc-workbench (under construction)");
}

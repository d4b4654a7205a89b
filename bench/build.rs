//! Links the example (the app binary the whole-process bench spawns) as a position-dependent
//! executable on Linux.
//!
//! A position-independent executable (rustc's default) is loaded at a random address, so
//! the dynamic loader patches every pointer in its read-only data at each start: the users
//! API example has about 13 500 of them (vtables, the panic locations, the regex crate's
//! Unicode tables; the schema data's tables hold no pointers), which cost 7-8% of a
//! one-copy run (0.17-0.31 ms on the shared VM, interleaved spawns: the patching, and a
//! private copy of each of the ~65 pages it writes).
//! Linked at a fixed address, the linker resolves them once. The price is that the
//! binary's own code and data are not at a random address (shared libraries, the heap and
//! the stack still are): an app binary's call, like its allocator (ARCHITECTURE.md "Speed").
//! The library never asks for it; the bench's own binaries are left as rustc links them.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-examples=-no-pie");
    }
}

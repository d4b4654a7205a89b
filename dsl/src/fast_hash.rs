//! Hash maps keyed by the stack's own names (logical IDs, type names, pattern texts),
//! hashed with foldhash rather than std's SipHash.
//!
//! Synth looks names up hundreds of times per resource, and SipHash, built to resist
//! flooding by an adversary, costs several times foldhash's on short keys. The keys come
//! from the app's own code, so there is no adversary; the seed is fixed, so nothing here
//! varies between runs (no map is iterated into output anyway).

/// A `HashMap` with foldhash's fast hasher and a fixed seed.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// A `HashSet` with foldhash's fast hasher and a fixed seed.
pub(crate) type FastSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;

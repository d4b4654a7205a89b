//! [`ExprMap`]: the map behind every object of the expression tree ([`Expr::Object`]) and
//! every property map ([`Props`](crate::Props)).
//!
//! A vector of entries kept sorted by key, searched by bisection. Property maps are small
//! (most hold 1 to 6 entries) and are built once and read many times; a `BTreeMap` leaf
//! holds room for 11 keys and 11 values whatever the map holds (about 900 bytes with
//! [`Expr`]), where this holds what the map holds (80 bytes an entry, with the vector's
//! spare capacity). Iteration is in key order (the bytes of the key), as a `BTreeMap`'s,
//! so every walk over a map and every template written from one is unchanged.

use std::borrow::Borrow;
use std::iter::FusedIterator;

use crate::value::expr::Expr;

/// A map from `String` to [`Expr`], sorted by key: the subset of `BTreeMap`'s API the
/// crate uses, with the same iteration order and the same results.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct ExprMap {
    /// Sorted by key, each key once.
    entries: Vec<(String, Expr)>,
}

impl ExprMap {
    /// An empty map (allocates nothing).
    pub(crate) const fn new() -> Self {
        ExprMap {
            entries: Vec::new(),
        }
    }

    /// Where `key` is (`Ok`) or would go (`Err`).
    fn search<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries
            .binary_search_by(|(k, _)| Borrow::<Q>::borrow(k).cmp(key))
    }

    /// The value of `key`.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&Expr>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).ok().map(|i| &self.entries[i].1)
    }

    /// The key as stored and the value of `key`.
    pub(crate) fn get_key_value<Q>(&self, key: &Q) -> Option<(&String, &Expr)>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).ok().map(|i| {
            let (k, v) = &self.entries[i];
            (k, v)
        })
    }

    /// The value of `key`, for changing it.
    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Expr>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self.search(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// Whether `key` has a value.
    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).is_ok()
    }

    /// Sets `key` to `value`; the value it had, if any (the key stored is kept, as a
    /// `BTreeMap` keeps it).
    pub(crate) fn insert(&mut self, key: String, value: Expr) -> Option<Expr> {
        match self.search(key.as_str()) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`; the value it had, if any.
    pub(crate) fn remove<Q>(&mut self, key: &Q) -> Option<Expr>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self.search(key) {
            Ok(i) => Some(self.entries.remove(i).1),
            Err(_) => None,
        }
    }

    /// The entry of `key`, present or not, for reading or filling in place.
    pub(crate) fn entry(&mut self, key: String) -> Entry<'_> {
        match self.search(key.as_str()) {
            Ok(index) => Entry {
                map: self,
                index,
                vacant: None,
            },
            Err(index) => Entry {
                map: self,
                index,
                vacant: Some(key),
            },
        }
    }

    /// How many entries the map holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map holds no entry.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in key order.
    pub(crate) fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// The entries, in key order, with their values open for changing.
    pub(crate) fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    /// The keys, in order.
    pub(crate) fn keys(&self) -> Keys<'_> {
        Keys(self.entries.iter())
    }

    /// The values, in key order.
    pub(crate) fn values(&self) -> Values<'_> {
        Values(self.entries.iter())
    }

    /// The values, in key order, open for changing.
    pub(crate) fn values_mut(&mut self) -> ValuesMut<'_> {
        ValuesMut(self.entries.iter_mut())
    }

    /// The values, in key order, moved out.
    pub(crate) fn into_values(self) -> IntoValues {
        IntoValues(self.entries.into_iter())
    }

    /// Restores the order after entries were appended at the end: a stable sort by key,
    /// then of equal keys the last one kept (what inserting them one by one, or
    /// collecting them into a `BTreeMap`, keeps). Entries already in order (a map read
    /// from another sorted map) cost one pass.
    fn sort_keeping_last(&mut self) {
        if self.entries.is_sorted_by(|a, b| a.0 < b.0) {
            return;
        }
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
    }
}

impl std::fmt::Debug for ExprMap {
    /// As a `BTreeMap` prints: `{"key": value, ...}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(String, Expr)> for ExprMap {
    /// As `BTreeMap`'s `collect`: sorted by key, the last value of a key given twice kept.
    fn from_iter<I: IntoIterator<Item = (String, Expr)>>(iter: I) -> Self {
        let mut map = ExprMap {
            entries: iter.into_iter().collect(),
        };
        map.sort_keeping_last();
        map
    }
}

impl Extend<(String, Expr)> for ExprMap {
    /// As inserting each entry in turn: a key already there, or given twice, ends with
    /// the last value given.
    fn extend<I: IntoIterator<Item = (String, Expr)>>(&mut self, iter: I) {
        let before = self.entries.len();
        self.entries.extend(iter);
        if self.entries.len() != before {
            self.sort_keeping_last();
        }
    }
}

impl<const N: usize> From<[(String, Expr); N]> for ExprMap {
    fn from(entries: [(String, Expr); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl IntoIterator for ExprMap {
    type Item = (String, Expr);
    type IntoIter = std::vec::IntoIter<(String, Expr)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a ExprMap {
    type Item = (&'a String, &'a Expr);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut ExprMap {
    type Item = (&'a String, &'a mut Expr);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

/// An entry of an [`ExprMap`], as [`ExprMap::entry`] finds it.
pub(crate) struct Entry<'a> {
    map: &'a mut ExprMap,
    /// Where the key is, or would go.
    index: usize,
    /// The key, when the map does not hold it.
    vacant: Option<String>,
}

impl<'a> Entry<'a> {
    /// The value, `make()` put in first when the key has none.
    pub(crate) fn or_insert_with(self, make: impl FnOnce() -> Expr) -> &'a mut Expr {
        if let Some(key) = self.vacant {
            self.map.entries.insert(self.index, (key, make()));
        }
        &mut self.map.entries[self.index].1
    }
}

/// The iterators over an [`ExprMap`]: slice iterators that give each entry's parts.
macro_rules! entry_iterator {
    ($(#[$doc:meta])* $name:ident<$a:lifetime>($inner:ty) -> $item:ty, |$e:ident| $get:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub(crate) struct $name<$a>($inner);

        impl<$a> Iterator for $name<$a> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.0.next().map(|$e| $get)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl<$a> DoubleEndedIterator for $name<$a> {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.0.next_back().map(|$e| $get)
            }
        }

        impl<$a> ExactSizeIterator for $name<$a> {}
        impl<$a> FusedIterator for $name<$a> {}
    };
}

entry_iterator!(
    /// The entries of an [`ExprMap`], in key order.
    Iter<'a>(std::slice::Iter<'a, (String, Expr)>) -> (&'a String, &'a Expr),
    |e| (&e.0, &e.1)
);
entry_iterator!(
    /// The entries of an [`ExprMap`], in key order, values open for changing.
    IterMut<'a>(std::slice::IterMut<'a, (String, Expr)>) -> (&'a String, &'a mut Expr),
    |e| (&e.0, &mut e.1)
);
entry_iterator!(
    /// The keys of an [`ExprMap`], in order.
    Keys<'a>(std::slice::Iter<'a, (String, Expr)>) -> &'a String,
    |e| &e.0
);
entry_iterator!(
    /// The values of an [`ExprMap`], in key order.
    Values<'a>(std::slice::Iter<'a, (String, Expr)>) -> &'a Expr,
    |e| &e.1
);
entry_iterator!(
    /// The values of an [`ExprMap`], in key order, open for changing.
    ValuesMut<'a>(std::slice::IterMut<'a, (String, Expr)>) -> &'a mut Expr,
    |e| &mut e.1
);

/// The values of an [`ExprMap`], in key order, moved out.
#[derive(Debug)]
pub(crate) struct IntoValues(std::vec::IntoIter<(String, Expr)>);

impl Iterator for IntoValues {
    type Item = Expr;

    #[inline]
    fn next(&mut self) -> Option<Expr> {
        self.0.next().map(|(_, v)| v)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IntoValues {
    #[inline]
    fn next_back(&mut self) -> Option<Expr> {
        self.0.next_back().map(|(_, v)| v)
    }
}

impl ExactSizeIterator for IntoValues {}
impl FusedIterator for IntoValues {}

#[cfg(test)]
mod tests {
    use super::ExprMap;
    use crate::value::expr::Expr;
    use std::collections::BTreeMap;

    fn lit(n: u64) -> Expr {
        Expr::Lit(n.into())
    }

    /// A small deterministic generator (no dependency): keys from a few letters so
    /// that keys repeat, share prefixes and differ in length.
    fn keys(seed: u64, n: usize) -> Vec<String> {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let len = 1 + (x >> 60) as usize % 3;
                (0..len)
                    .map(|i| ["a", "B", "b", "é", "_"][(x >> (20 + 7 * i)) as usize % 5])
                    .collect()
            })
            .collect()
    }

    fn same(map: &ExprMap, reference: &BTreeMap<String, Expr>) {
        assert_eq!(map.len(), reference.len());
        assert_eq!(map.is_empty(), reference.is_empty());
        assert!(map.iter().eq(reference.iter()));
        assert!(map.keys().eq(reference.keys()));
        assert!(map.values().eq(reference.values()));
        assert!(map.iter().rev().eq(reference.iter().rev()));
        assert_eq!(format!("{map:?}"), format!("{reference:?}"));
    }

    /// Collecting, extending, inserting and removing give what a `BTreeMap` gives, in
    /// its order, with the last of a key given twice kept.
    #[test]
    fn agrees_with_a_btree_map() {
        for seed in 0..200 {
            let ks = keys(seed, (seed % 23) as usize);
            let entries: Vec<(String, Expr)> = ks
                .iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), lit(i as u64)))
                .collect();
            let mut map: ExprMap = entries.iter().cloned().collect();
            let mut reference: BTreeMap<String, Expr> = entries.iter().cloned().collect();
            same(&map, &reference);

            let more = keys(seed + 1000, 5);
            let extra: Vec<(String, Expr)> = more
                .iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), lit(100 + i as u64)))
                .collect();
            map.extend(extra.iter().cloned());
            reference.extend(extra.iter().cloned());
            same(&map, &reference);

            for (i, k) in keys(seed + 2000, 8).into_iter().enumerate() {
                if i % 3 == 0 {
                    assert_eq!(map.remove(k.as_str()), reference.remove(k.as_str()));
                } else {
                    assert_eq!(
                        map.insert(k.clone(), lit(200 + i as u64)),
                        reference.insert(k.clone(), lit(200 + i as u64))
                    );
                }
                assert_eq!(map.get(k.as_str()), reference.get(k.as_str()));
                assert_eq!(map.contains_key(&k), reference.contains_key(&k));
                assert_eq!(
                    map.get_key_value(k.as_str()),
                    reference.get_key_value(k.as_str())
                );
                same(&map, &reference);
            }

            for k in keys(seed + 3000, 4) {
                let a = map.entry(k.clone()).or_insert_with(|| lit(7)).clone();
                let b = reference.entry(k.clone()).or_insert_with(|| lit(7)).clone();
                assert_eq!(a, b);
                if let Some(v) = map.get_mut(k.as_str()) {
                    *v = lit(9);
                }
                if let Some(v) = reference.get_mut(k.as_str()) {
                    *v = lit(9);
                }
                same(&map, &reference);
            }

            for (v, w) in map.values_mut().zip(reference.values_mut()) {
                *v = Expr::Array(vec![v.clone()]);
                *w = Expr::Array(vec![w.clone()]);
            }
            same(&map, &reference);
            assert!(map.clone().into_iter().eq(reference.clone()));
            assert!(
                map.clone()
                    .into_values()
                    .eq(reference.clone().into_values())
            );
        }
    }

    /// An empty map allocates nothing and reads as empty.
    #[test]
    fn an_empty_map_is_empty() {
        static EMPTY: ExprMap = ExprMap::new();
        assert!(EMPTY.is_empty() && EMPTY.get("A").is_none());
        assert_eq!(EMPTY, ExprMap::default());
        assert_eq!(format!("{EMPTY:?}"), "{}");
    }
}

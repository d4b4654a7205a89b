//! [`ExprMap`]: the map behind every object of the expression tree ([`Expr::Object`]) and
//! every property map ([`Props`](crate::Props)).
//!
//! A vector of entries kept sorted by key, searched by bisection (`litemap`'s
//! `LiteMap`). Property maps are small (most hold 1 to 6 entries) and are built once and
//! read many times; a `BTreeMap` leaf holds room for 11 keys and 11 values whatever the
//! map holds (about 900 bytes with [`Expr`]), where this holds what the map holds (80
//! bytes an entry, with the vector's spare capacity). Iteration is in key order (the
//! bytes of the key), as a `BTreeMap`'s, so every walk over a map and every template
//! written from one is unchanged. The wrapper keeps the crate's calls in `BTreeMap`'s
//! terms and prints as a `BTreeMap` prints.

use std::borrow::Borrow;

use litemap::LiteMap;

use crate::value::expr::Expr;

/// The store: entries sorted by key, each key once.
type Store = LiteMap<String, Expr>;

/// A map from `String` to [`Expr`], sorted by key: the subset of `BTreeMap`'s API the
/// crate uses, with the same iteration order and the same results.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct ExprMap(Store);

impl ExprMap {
    /// An empty map (allocates nothing).
    pub(crate) const fn new() -> Self {
        ExprMap(LiteMap::new())
    }

    /// The value of `key`.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&Expr>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.get(key)
    }

    /// The key as stored and the value of `key`.
    pub(crate) fn get_key_value<Q>(&self, key: &Q) -> Option<(&String, &Expr)>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0
            .find_index(key)
            .ok()
            .and_then(|i| self.0.get_indexed(i))
    }

    /// The value of `key`, for changing it.
    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Expr>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.get_mut(key)
    }

    /// Whether `key` has a value.
    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.contains_key(key)
    }

    /// Sets `key` to `value`; the value it had, if any. The entries after `key` shift
    /// by one, so building a map of n keys by `insert` in random order costs O(n²) moves
    /// (about a second at 50 000 keys); a map made at once is made with `collect`.
    pub(crate) fn insert(&mut self, key: String, value: Expr) -> Option<Expr> {
        self.0.insert(key, value)
    }

    /// Removes `key`; the value it had, if any.
    pub(crate) fn remove<Q>(&mut self, key: &Q) -> Option<Expr>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.remove(key)
    }

    /// The entry of `key`, present or not, for reading or filling in place.
    pub(crate) fn entry(
        &mut self,
        key: String,
    ) -> litemap::Entry<'_, String, Expr, Vec<(String, Expr)>> {
        self.0.entry(key)
    }

    /// How many entries the map holds.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map holds no entry.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in key order.
    pub(crate) fn iter(&self) -> <&Store as IntoIterator>::IntoIter {
        self.0.iter()
    }

    /// The entries, in key order, with their values open for changing.
    pub(crate) fn iter_mut(&mut self) -> <&mut Store as IntoIterator>::IntoIter {
        self.0.iter_mut()
    }

    /// The keys, in order.
    pub(crate) fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.keys()
    }

    /// The values, in key order.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &Expr> + ExactSizeIterator {
        self.0.values()
    }

    /// The values, in key order, open for changing.
    pub(crate) fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Expr> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// The values, in key order, moved out.
    pub(crate) fn into_values(self) -> impl DoubleEndedIterator<Item = Expr> + ExactSizeIterator {
        self.0.into_iter().map(|(_, v)| v)
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
        ExprMap(iter.into_iter().collect())
    }
}

impl Extend<(String, Expr)> for ExprMap {
    /// The result of inserting each entry in turn (a key already there, or given twice,
    /// ends with the last value given), in one sort of the entries appended rather than a
    /// shift per entry.
    fn extend<I: IntoIterator<Item = (String, Expr)>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl<const N: usize> From<[(String, Expr); N]> for ExprMap {
    fn from(entries: [(String, Expr); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl IntoIterator for ExprMap {
    type Item = (String, Expr);
    type IntoIter = <Store as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ExprMap {
    type Item = (&'a String, &'a Expr);
    type IntoIter = <&'a Store as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut ExprMap {
    type Item = (&'a String, &'a mut Expr);
    type IntoIter = <&'a mut Store as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

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

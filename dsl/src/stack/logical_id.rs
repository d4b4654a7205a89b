//! Logical IDs: the names users choose, checked rather than hashed.

/// The longest logical ID CloudFormation accepts, in characters: 255 ("Resources",
/// CloudFormation User Guide: a logical ID is alphanumeric, so characters are bytes). A
/// construct that derives IDs from names checks them against it to say which name to
/// shorten.
///
/// ```
/// assert_eq!(nephos::MAX_LOGICAL_ID_LEN, 255);
/// ```
pub const MAX_LOGICAL_ID_LEN: usize = 255;

/// The same, for the crate's own checks.
pub(crate) const MAX_LEN: usize = MAX_LOGICAL_ID_LEN;

/// Why `id` is not a valid logical ID, if it is not.
pub(crate) fn problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("a logical ID cannot be empty; give it a name such as `UsersTable`".into());
    }
    if id.len() > MAX_LEN {
        return Some(format!(
            "logical ID `{}...` is {} characters; CloudFormation allows at most {MAX_LEN}",
            &id[..20],
            id.len()
        ));
    }
    // Judged by bytes (a byte of a non-ASCII character is not alphanumeric either);
    // the characters are decoded only to name the bad one: synth checks every ID.
    if !id.bytes().all(|b| b.is_ascii_alphanumeric())
        && let Some(bad) = id.chars().find(|c| !c.is_ascii_alphanumeric())
    {
        let suggestion: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
        return Some(format!(
            "logical ID `{id}` contains `{bad}`; logical IDs are letters and digits only (A-Z, a-z, 0-9): use `{suggestion}`"
        ));
    }
    None
}

/// The first sixteen bytes of `id` as a big-endian number, zero-padded: for any two IDs
/// the numbers compare as the IDs do or are equal, so an order by (number, ID) is the
/// order of the IDs, and most comparisons of a sort are one of two numbers rather than
/// of two strings behind two pointers.
fn prefix(id: &str) -> u128 {
    let bytes = id.as_bytes();
    let mut head = [0u8; 16];
    let n = bytes.len().min(16);
    head[..n].copy_from_slice(&bytes[..n]);
    u128::from_be_bytes(head)
}

/// Sorts `items` by the logical ID `id` gives each, those of one ID in the order given:
/// what `items.sort_by(|a, b| id(a).cmp(id(b)))` gives. Synth sorts every resource by
/// ID for the template; the IDs' prefixes are compared first (see [`prefix`]), and
/// the items are moved once, after their order is known.
pub(crate) fn sort_by_id<T>(items: &mut Vec<T>, id: impl Fn(&T) -> &str) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<(u128, u32)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (prefix(id(item)), i as u32))
        .collect();
    // Each position appears once, so no two keys are equal and an unstable sort gives the
    // one order a stable sort by ID gives.
    order.sort_unstable_by(|(a, i), (b, j)| {
        a.cmp(b)
            .then_with(|| id(&items[*i as usize]).cmp(id(&items[*j as usize])))
            .then(i.cmp(j))
    });
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|(_, i)| slots[*i as usize].take()));
}

#[cfg(test)]
mod tests {
    /// Sorting by ID through the prefixes gives what a stable sort by ID gives: IDs
    /// sharing long prefixes, shorter and longer than the prefix, with zero bytes and
    /// bytes above 0x7f, repeated (their order kept), in a scrambled order.
    #[test]
    fn sorting_by_prefix_matches_a_stable_sort() {
        let mut state = 11u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % n
        };
        let alphabet = ["A", "B", "a", "\0", "é", "0", "ApiUsers1", "Post"];
        for round in 0..50 {
            let items: Vec<(String, usize)> = (0..(round * 7 + 1))
                .map(|i| {
                    let parts = 1 + next(8);
                    let id: String = (0..parts)
                        .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                        .collect();
                    (id, i)
                })
                .collect();
            let mut want = items.clone();
            want.sort_by(|a, b| a.0.cmp(&b.0));
            let mut got = items;
            super::sort_by_id(&mut got, |(id, _)| id.as_str());
            assert_eq!(got, want);
        }
        // Equal to the sixteenth byte, different after it; and a prefix of another.
        let mut got = vec![
            "ApiUsers12PostPermissionB",
            "ApiUsers12PostPermissionA",
            "ApiUsers12PostPe",
            "ApiUsers12PostP",
        ];
        super::sort_by_id(&mut got, |id| id);
        assert_eq!(
            got,
            [
                "ApiUsers12PostP",
                "ApiUsers12PostPe",
                "ApiUsers12PostPermissionA",
                "ApiUsers12PostPermissionB"
            ]
        );
    }
}

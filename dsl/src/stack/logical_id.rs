//! Logical IDs: the names users choose, checked rather than hashed.

/// The longest logical ID CloudFormation accepts.
pub(crate) const MAX_LEN: usize = 255;

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

//! Filling a scaffold template: `{{key}}` placeholders replaced in one pass.
//!
//! One pass means a value is never scanned again, so a value holding `{{` cannot inject
//! another placeholder's text. Only `{{` directly followed by a key and `}}` is a
//! placeholder: `${{ vars.X }}` in a CI workflow is left alone. An unknown key is an error
//! (a template and its caller disagree), never an empty string.

/// Replaces every `{{key}}` of `template` with its value from `values`.
///
/// # Errors
/// The first placeholder whose key `values` lacks.
///
/// # Example
/// ```
/// use nephos_cli::scaffold::render::render;
/// let out = render("name = \"{{name}}\" ${{ env.X }}", &[("name", "{{name}}x")]).unwrap();
/// assert_eq!(out, "name = \"{{name}}x\" ${{ env.X }}");
/// ```
pub fn render(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let key_len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if key_len > 0 && after[key_len..].starts_with("}}") {
            let key = &after[..key_len];
            let value = values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
                .ok_or_else(|| format!("the template names `{key}`, which has no value"))?;
            out.push_str(value);
            rest = &after[key_len + 2..];
        } else {
            out.push_str("{{");
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_not_scanned_again() {
        let out = render("{{a}}{{b}}", &[("a", "{{b}}"), ("b", "B")]).unwrap();
        assert_eq!(out, "{{b}}B");
    }

    #[test]
    fn an_unknown_key_is_an_error() {
        assert!(render("x {{nope}}", &[]).unwrap_err().contains("nope"));
    }

    #[test]
    fn braces_that_are_no_placeholder_stay() {
        let t = "${{ vars.A }} {{ x }} {{ {{";
        assert_eq!(render(t, &[]).unwrap(), t);
    }
}

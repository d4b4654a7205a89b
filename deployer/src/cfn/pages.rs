//! Bounds on the paginated listings nephos reads.
//!
//! nephos judges data loss from listings (a stack's resources, a change set's changes, the
//! stack's change sets): a listing read only in part would be judged as if the rest did not
//! exist. So every listing is read to its last page, and one longer than these bounds is an
//! error (failing closed), never a shorter listing. The bounds are far above AWS's quotas
//! (500 resources per stack, per the CloudFormation quotas page), so only a runaway or
//! hostile endpoint reaches them.

use super::error::{CfnError, ErrorKind};

/// The most pages one listing may take.
pub const MAX_PAGES: usize = 200;

/// The most items one listing may hold.
pub const MAX_ITEMS: usize = 10_000;

/// Collects a listing page by page, failing once it passes [`MAX_PAGES`] or [`MAX_ITEMS`].
#[derive(Debug)]
pub struct Listing<T> {
    what: &'static str,
    pages: usize,
    items: Vec<T>,
}

impl<T> Listing<T> {
    /// An empty listing of `what` (the API call, for the error).
    pub fn new(what: &'static str) -> Self {
        Self {
            what,
            pages: 0,
            items: Vec::new(),
        }
    }

    /// Adds one page; `Err` once the listing is past a bound, so the caller stops paging
    /// and nothing judges the partial listing.
    pub fn page(&mut self, items: impl IntoIterator<Item = T>) -> Result<(), CfnError> {
        self.pages += 1;
        self.items.extend(items);
        if self.pages > MAX_PAGES || self.items.len() > MAX_ITEMS {
            return Err(CfnError::new(
                ErrorKind::Other,
                format!(
                    "{} returned more than {MAX_PAGES} pages or {MAX_ITEMS} items; nephos stops rather than judge a listing it did not read to the end",
                    self.what
                ),
            ));
        }
        Ok(())
    }

    /// The whole listing.
    pub fn done(self) -> Vec<T> {
        self.items
    }

    /// Adds one page of a listing read only as far as needed: `Ok(Some(token))` to read
    /// the next page, `Ok(None)` once `enough` says the items read so far suffice or the
    /// listing ended (`next` is `None`). One rule for the SDK and the scripted fake, so
    /// the fake's tests exercise the paging the SDK does.
    pub fn page_until<E>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        next: Option<String>,
        enough: &E,
    ) -> Result<Option<String>, CfnError>
    where
        E: Fn(&[T]) -> bool + ?Sized,
    {
        self.page(items)?;
        Ok(next.filter(|_| !enough(&self.items)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_past_its_bounds_is_an_error_not_a_shorter_listing() {
        let mut l = Listing::new("ListStackResources");
        for _ in 0..MAX_PAGES {
            l.page([1]).expect("within bounds");
        }
        let e = l.page([1]).expect_err("one page too many");
        assert!(e.message.contains("ListStackResources"), "{e}");
        let mut l = Listing::new("ListChangeSets");
        let e = l.page(0..=MAX_ITEMS).expect_err("too many items");
        assert!(e.message.contains("did not read to the end"), "{e}");
        let mut l = Listing::new("x");
        l.page([1, 2]).expect("ok");
        l.page([3]).expect("ok");
        assert_eq!(l.done(), vec![1, 2, 3]);
    }

    #[test]
    fn a_listing_read_until_enough_stops_after_the_page_that_sufficed() {
        let mut l = Listing::new("DescribeStackEvents");
        let enough = |read: &[u32]| read.contains(&5);
        let t = l
            .page_until([1, 2], Some("p2".into()), &enough)
            .expect("ok");
        assert_eq!(t.as_deref(), Some("p2"));
        let t = l
            .page_until([3, 4], Some("p3".into()), &enough)
            .expect("ok");
        assert_eq!(t.as_deref(), Some("p3"));
        // 5 is on the third page: no fourth is asked for.
        let t = l
            .page_until([5, 6], Some("p4".into()), &enough)
            .expect("ok");
        assert_eq!(t, None);
        assert_eq!(l.done(), vec![1, 2, 3, 4, 5, 6]);
        let mut l = Listing::new("DescribeStackEvents");
        assert_eq!(
            l.page_until([1], None, &|_: &[u32]| false).expect("ok"),
            None,
            "last page"
        );
        let mut l = Listing::new("DescribeStackEvents");
        for _ in 0..MAX_PAGES {
            l.page_until([1], Some("more".into()), &|_: &[u32]| false)
                .expect("within bounds");
        }
        let e = l
            .page_until([1], Some("more".into()), &|_: &[u32]| false)
            .expect_err("bounded");
        assert!(e.message.contains("DescribeStackEvents"), "{e}");
    }
}

//! An imported bucket's notification configuration cannot be changed here.
use nephos::Stack;
use nephos::constructs::wiring::s3::notify_queue;
use nephos::constructs::{Bucket, NotificationFilter, Queue, S3Event};

fn main() {
    let mut stack = Stack::new("App");
    let jobs = stack.add("Jobs", Queue::new());
    let shared = Bucket::from_name("shared-assets").unwrap();
    notify_queue(&mut stack, &shared, &[S3Event::ObjectCreated], NotificationFilter::default(), &jobs);
}

//! [`ImportedBucket`]: an S3 bucket outside the stack (`Bucket::from_name`).

use crate::constructs::Bucket;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{ImportError, imported};
use crate::kind::Str;
use crate::stack::stack::Stack;

imported!(
    /// An S3 bucket outside the stack, known by name: grants on it and its objects (see
    /// the [module](crate::constructs::import) for what cannot be done with it: no
    /// notifications, no bucket policy).
    ImportedBucket,
    Str,
    Bucket "bucket",
    keyed
);

impl Bucket {
    /// The bucket `name` (its ARN, `arn:<partition>:s3:::<name>`, is built from it); a
    /// name S3 refuses for a general purpose bucket is an [`ImportError`].
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Bucket, Code, Function, Runtime};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// Bucket::from_name("shared-assets").unwrap().grant_read(&mut stack, &f);
    /// let t = stack.synth().unwrap();
    /// let policy = t.json()["Resources"]["ApiRole"]["Properties"]["Policies"][0].to_string();
    /// assert!(policy.contains("arn:${AWS::Partition}:s3:::shared-assets"), "{policy}");
    /// assert!(Bucket::from_name("Shared_Assets").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<ImportedBucket, ImportError> {
        if let Some(why) = crate::constructs::names::bucket_name_problem(name) {
            return Err(ImportError::new("bucket", name, why));
        }
        let mut bucket =
            ImportedBucket::from_value(crate::constructs::names::bucket_arn(&name.into()));
        bucket.name = Some(name.into());
        Ok(bucket)
    }
}

impl ImportedBucket {
    /// Its name, as given to [`Bucket::from_name`].
    ///
    /// ```
    /// use nephos::constructs::Bucket;
    /// let b = Bucket::from_name("shared-data").unwrap();
    /// assert_eq!(b.name().literal_str(), Some("shared-data"));
    /// ```
    pub fn name(&self) -> crate::Value<Str> {
        // `Bucket::from_name`, the one constructor, gives it; without it, an error where used.
        self.name.clone().unwrap_or_else(|| {
            crate::Value::invalid(
                "an imported bucket without its name",
                "import the bucket with `Bucket::from_name`",
            )
        })
    }

    /// Lets `grantee` list the bucket, find its region and read objects.
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::bucket::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` write objects.
    pub fn grant_put(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::bucket::put(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` delete objects.
    pub fn grant_delete(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::bucket::delete(stack, grantee, &self.grant_target())
    }
}

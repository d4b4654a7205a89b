//! The users API with compiled handlers: the tutorial's two Go handlers, written in Rust
//! (`examples/users_api_native/handlers`, built with `lambda_runtime`) and shipped as
//! `bootstrap` assets on the `provided.al2023` runtime.
//!
//! - `create-user` serves `POST /users`: validates the body, puts the user into the
//!   table, answers 400/500/200 as the tutorial's API handler does.
//! - `s3-event` handles uploads under `uploads/`: heads each object and branches on its
//!   content type, as the tutorial's S3 handler does; it may read the bucket's objects.
//!
//! Each handler is `Code::rust_bin`: synth records the build (package, binary, x86_64,
//! profile) and names the zip by a hash of the crate's sources and `Cargo.lock`; nothing
//! is compiled then. `nephos synth`/`deploy` build it with cargo-zigbuild for Lambda's
//! glibc and zip it as `bootstrap`, skipping the build when the zip for the hash is
//! cached. `NEPHOS_HANDLER_PROFILE` picks the Cargo profile (`release` unless set; the
//! tests use `dev`, which builds faster).
//!
//! Differences from `users_api`: two functions instead of one; no stream mapping, since
//! neither of the tutorial's compiled handlers processes stream records (a mapping to a
//! function that cannot read its events would fail every batch), so the table keeps its
//! stream for consumers added later.

use std::process::ExitCode;

use nephos::constructs::{
    Architecture, Bucket, Code, Function, Key, NotificationFilter, RestApi, Runtime, S3Event,
    StreamView, Table, Topic,
};
use nephos::{App, Output, Parameter, RustBin, Stack, StackSettings, sub};

/// The Cargo profile the handlers are built with (`NEPHOS_HANDLER_PROFILE`, else release).
pub fn handler_profile() -> String {
    std::env::var("NEPHOS_HANDLER_PROFILE").unwrap_or_else(|_| "release".into())
}

/// A binary of the handlers crate, built for Lambda by the deployer.
fn handler(name: &str) -> RustBin {
    Code::rust_bin("users-api-handlers", name)
        .profile(handler_profile())
        .workspace(env!("CARGO_MANIFEST_DIR"))
}

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("UsersApiNative");
    stack.description("Users API with compiled Rust handlers");
    let env = stack.parameter(
        "Environment",
        Parameter::string()
            .allowed_values(["dev", "staging", "prod"])
            .default("dev"),
    );
    let email = stack.parameter(
        "NotificationEmail",
        Parameter::string().default("admin@example.com"),
    );

    let table = stack.add(
        "UsersTable",
        Table::new(Key::string("user_id"))
            .name(sub!("users-native-${e}", e = &env))
            .stream(StreamView::NewAndOldImages),
    );
    let api_handler = stack.add(
        "CreateUser",
        Function::new(Runtime::ProvidedAl2023, "bootstrap", handler("create-user"))
            .architecture(Architecture::X8664)
            .name(sub!("users-native-create-${e}", e = &env))
            .env("TABLE_NAME", table.name())
            .timeout(10)
            .memory(128),
    );
    table.grant_write(&mut stack, &api_handler);

    let upload_handler = stack.add(
        "ProcessUpload",
        Function::new(Runtime::ProvidedAl2023, "bootstrap", handler("s3-event"))
            .architecture(Architecture::X8664)
            .name(sub!("users-native-uploads-${e}", e = &env))
            .timeout(30)
            .memory(128),
    );

    let api = stack.add(
        "UsersApi",
        RestApi::new(sub!("users-native-${e}", e = &env)).stage(&env),
    );
    api.route(&mut stack, "POST", "/users", &api_handler);

    let bucket = stack.add(
        "Uploads",
        Bucket::new().name(sub!("users-native-${e}-${AWS::AccountId}", e = &env)),
    );
    bucket.grant_read(&mut stack, &upload_handler);
    bucket.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("uploads/"),
        &upload_handler,
    );

    let topic = stack.add(
        "Notifications",
        Topic::new().display_name("User Notifications"),
    );
    topic.subscribe_email(&mut stack, &email);

    stack.output(
        "ApiUrl",
        Output::new(sub!("${base}users", base = api.url())),
    );
    stack.output("UploadBucket", Output::new(bucket.name()));
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("users-api-native-dev"));
    app
}

fn main() -> ExitCode {
    app().run()
}

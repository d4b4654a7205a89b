//! The users API with compiled handlers: the tutorial's two Go handlers, written in Rust
//! (`examples/users_api_native/handlers`, built with `lambda_runtime`) and shipped as
//! `bootstrap` assets on the `provided.al2023` runtime.
//!
//! - `create-user` serves `POST /users`: validates the body, puts the user into the
//!   table, answers 400/500/200 as the tutorial's API handler does.
//! - `s3-event` handles uploads under `uploads/`: heads each object and branches on its
//!   content type, as the tutorial's S3 handler does; it may read the bucket's objects.
//!
//! Build the handlers first: `scripts/build-handlers.sh` (release) or `--debug`; they
//! land in `target/lambda/<name>/bootstrap` (or `$NEPHOS_HANDLERS_DIR/<name>`). Each is
//! zipped reproducibly and named by its content hash; `nephos deploy` uploads it.
//!
//! Differences from `users_api`: two functions instead of one; no stream mapping, since
//! neither of the tutorial's compiled handlers processes stream records (a mapping to a
//! function that cannot read its events would fail every batch), so the table keeps its
//! stream for consumers added later.

use std::path::PathBuf;
use std::process::ExitCode;

use nephos::constructs::{
    Architecture, Bucket, Code, Function, Key, NotificationFilter, RestApi, Runtime, S3Event,
    StreamView, Table, Topic,
};
use nephos::{App, Asset, Output, Parameter, Stack, StackSettings, sub};

/// Where `scripts/build-handlers.sh` puts the `bootstrap` executables.
pub fn handlers_dir() -> PathBuf {
    std::env::var_os("NEPHOS_HANDLERS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/lambda"))
}

fn handler(name: &str) -> Code {
    Code::asset(Asset::bootstrap(
        handlers_dir().join(name).join("bootstrap"),
    ))
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
    let mut app = App::new();
    app.stack(stack(), StackSettings::new("users-api-native-dev"));
    app
}

fn main() -> ExitCode {
    app().run()
}

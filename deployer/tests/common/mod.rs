//! Shared harness of the end-to-end tests: a private moto server on a free loopback port,
//! and `nephos` commands run in-process against it with captured output.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use nephos_cli::aws::{AwsSettings, Clients, connect};
use nephos_cli::cfn::retry::RetryPolicy;
use nephos_cli::cfn::status::ExecutionStatus;
use nephos_cli::cli::Cli;
use nephos_cli::context::Context;
use nephos_cli::deploy::interrupt::Interrupt;
use nephos_cli::deploy::poll::PollPolicy;
use nephos_cli::diff::facts::SchemaFacts;
use nephos_cli::output::prompt::FixedAnswer;
use nephos_cli::output::style::Style;

/// The repository root: the nearest folder up from the test's package holding the
/// workspace's `Cargo.lock` (the harness is shared by the deployer's and the root's tests).
pub fn root() -> PathBuf {
    let start = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    start
        .ancestors()
        .find(|d| d.join("Cargo.lock").exists())
        .map(PathBuf::from)
        .unwrap_or(start)
}

/// A fixture path, relative to the repository root (how commands are given it).
pub fn fixture(name: &str) -> String {
    format!("deployer/tests/fixtures/{name}")
}

/// A moto server owned by one test binary; killed on drop.
pub struct Moto {
    child: Child,
    /// Its endpoint, `http://127.0.0.1:PORT`.
    pub endpoint: String,
}

impl Moto {
    /// Starts moto from the project venv; fails the test when the venv is missing.
    pub fn start() -> Self {
        let bin = root().join(".venv/bin/moto_server");
        assert!(
            bin.exists(),
            "{} is missing: run scripts/venv.sh first",
            bin.display()
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free loopback port");
        let child = Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        moto.wait_ready(port);
        moto
    }

    /// Polls with a real HTTP request until moto answers (about 2 s cold).
    fn wait_ready(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = s.write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
                let mut buf = [0u8; 12];
                if s.read_exact(&mut buf).is_ok()
                    && buf.starts_with(b"HTTP/1.")
                    && &buf[9..12] == b"200"
                {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("moto did not become ready on port {port} within 60 s");
    }

    /// AWS settings pointing at this server: dummy credentials, no SDK retries (moto's
    /// 500s must surface, not be retried into AlreadyExists).
    pub fn settings(&self) -> AwsSettings {
        AwsSettings {
            region: Some("us-east-1".into()),
            profile: None,
            endpoint_url: Some(self.endpoint.clone()),
            max_attempts: Some(1),
            static_credentials: Some(("testing".into(), "testing".into())),
            call_timeout: None,
        }
    }

    /// SDK clients for checking what nephos did.
    pub async fn clients(&self) -> Clients {
        connect(&self.settings()).await.expect("clients for moto")
    }

    /// SDK clients of `region` (moto keeps regions apart, as AWS does).
    #[allow(dead_code)] // not every test binary that includes the harness uses it
    pub async fn clients_in(&self, region: &str) -> Clients {
        let mut settings = self.settings();
        settings.region = Some(region.into());
        connect(&settings).await.expect("clients for moto")
    }

    /// Runs `nephos ARGS` in-process from the repository root.
    pub async fn nephos(&self, args: &[&str]) -> Run {
        let cli = Cli::try_parse_from(std::iter::once("nephos").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("bad test command line {args:?}: {e}"));
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = {
            let mut ctx = Context {
                out: &mut out,
                err: &mut err,
                style: Style::plain(),
                interactive: false,
                prompter: &FixedAnswer(None),
                review_to_err: false,
                cwd: root(),
                aws: self.settings(),
                backends: None,
                poll: PollPolicy {
                    initial: Duration::from_millis(50),
                    max: Duration::from_secs(1),
                },
                retry: RetryPolicy::STANDARD,
                interrupt: Interrupt::new(),
                facts: &SchemaFacts,
                change_set_name: None,
                invocation: Default::default(),
            };
            nephos_cli::commands::run(cli, &mut ctx).await
        };
        Run {
            code,
            out: String::from_utf8_lossy(&out).into_owned(),
            err: String::from_utf8_lossy(&err).into_owned(),
        }
    }
}

/// The bucket the fixtures' Lambda code is read from (moto cannot update inline `ZipFile`
/// code, so the fixture templates point at S3).
pub const CODE_BUCKET: &str = "nephos-e2e-code";

/// Writes `t` as `name` in the test binary's temporary directory; returns its path.
pub fn write_template(name: &str, t: &serde_json::Value) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, serde_json::to_string_pretty(t).expect("JSON")).expect("template");
    path.display().to_string()
}

/// A fixture template, parsed.
pub fn fixture_template(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(fixture(name))).expect("fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

/// Set-up and read-back calls the end-to-end tests make on the emulator directly (not
/// through nephos): one place for each, instead of a copy in every test file.
impl Moto {
    /// Creates `bucket`.
    pub async fn create_bucket(&self, bucket: &str) {
        self.clients()
            .await
            .staging
            .0
            .s3
            .create_bucket()
            .bucket(bucket)
            .send()
            .await
            .expect("CreateBucket");
    }

    /// Puts `bytes` at `bucket`/`key`.
    pub async fn put_object(&self, bucket: &str, key: &str, bytes: Vec<u8>) {
        self.clients()
            .await
            .staging
            .0
            .s3
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(bytes.into())
            .send()
            .await
            .expect("PutObject");
    }

    /// [`CODE_BUCKET`] with the fixture `handler.zip` in it, as the fixture templates need.
    pub async fn upload_handler_code(&self) {
        let zip = std::fs::read(root().join(fixture("handler.zip"))).expect("fixture zip");
        self.create_bucket(CODE_BUCKET).await;
        self.put_object(CODE_BUCKET, "handler.zip", zip).await;
    }

    /// `nephos deploy --yes --template TEMPLATE --stack-name STACK`, which must succeed.
    pub async fn deploy_template(&self, template: &str, stack: &str) -> Run {
        self.nephos(&[
            "deploy",
            "--yes",
            "--template",
            template,
            "--stack-name",
            stack,
        ])
        .await
        .expect(0)
    }

    /// The physical ID of `logical` in the deployed `stack`.
    pub async fn physical_id(&self, stack: &str, logical: &str) -> String {
        let resources = self
            .clients()
            .await
            .cfn
            .0
            .describe_stack_resources()
            .stack_name(stack)
            .send()
            .await
            .expect("DescribeStackResources");
        resources
            .stack_resources()
            .iter()
            .find(|r| r.logical_resource_id() == Some(logical))
            .and_then(|r| r.physical_resource_id())
            .unwrap_or_else(|| panic!("{logical} was created in {stack}"))
            .to_owned()
    }

    /// Change sets of `stack` not executed (moto keeps executed ones in the list).
    pub async fn pending_change_sets(&self, stack: &str) -> usize {
        let out = self
            .clients()
            .await
            .cfn
            .0
            .list_change_sets()
            .stack_name(stack)
            .send()
            .await
            .expect("ListChangeSets");
        out.summaries()
            .iter()
            .filter(|s| {
                s.execution_status()
                    .map(|x| ExecutionStatus::from(x.as_str()))
                    != Some(ExecutionStatus::ExecuteComplete)
            })
            .count()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A finished command.
#[derive(Debug)]
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Stdout.
    pub out: String,
    /// Stderr.
    pub err: String,
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.out, self.err
        );
        self
    }
}

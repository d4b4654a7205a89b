//! Harness of the hostile corpus: small loopback servers written here (a silent endpoint,
//! a closed port, a scripted AWS that logs what it is sent) and ways to run `nephos`
//! (the binary, as users do, or in-process with a short call bound).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use nephos_cli::aws::AwsSettings;
use nephos_cli::cfn::retry::RetryPolicy;
use nephos_cli::cli::Cli;
use nephos_cli::context::Context;
use nephos_cli::deploy::interrupt::Interrupt;
use nephos_cli::deploy::poll::PollPolicy;
use nephos_cli::diff::facts::SchemaFacts;
use nephos_cli::output::prompt::FixedAnswer;
use nephos_cli::output::style::Style;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// One request the scripted server received.
#[derive(Clone, Debug)]
pub struct Request {
    /// The `Action` of a query-protocol call (or the path for others).
    pub action: String,
    /// The request headers, as text.
    pub headers: String,
    /// The body, as text.
    pub body: String,
}

/// An answer: HTTP status and body.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// A loopback HTTP server answering AWS query-protocol calls from a script.
pub struct Scripted {
    pub endpoint: String,
    pub log: Arc<Mutex<Vec<Request>>>,
}

/// The XML of a query-protocol error.
pub fn error_xml(code: &str, message: &str) -> Answer {
    Answer {
        status: 400,
        body: format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        ),
    }
}

/// A successful query-protocol response of `action` with `result` inside.
pub fn ok_xml(action: &str, result: &str) -> Answer {
    Answer {
        status: 200,
        body: format!(
            "<{action}Response><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>"
        ),
    }
}

/// GetCallerIdentity for account 111122223333.
pub fn identity() -> (&'static str, Answer) {
    (
        "GetCallerIdentity",
        ok_xml(
            "GetCallerIdentity",
            "<Arn>arn:aws:iam::111122223333:user/u</Arn><UserId>U</UserId><Account>111122223333</Account>",
        ),
    )
}

/// A DescribeStacks answer for one stack.
pub fn stack_xml(name: &str, status: &str, reason: &str) -> Answer {
    ok_xml(
        "DescribeStacks",
        &format!(
            "<Stacks><member><StackName>{name}</StackName><StackId>arn:aws:cloudformation:us-east-1:111122223333:stack/{name}/1</StackId><StackStatus>{status}</StackStatus><StackStatusReason>{reason}</StackStatusReason><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks>"
        ),
    )
}

impl Scripted {
    /// Answers each action from `script`; anything else gets a ValidationError "does not
    /// exist" (what CloudFormation says of a missing stack).
    pub fn start(script: Vec<(&str, Answer)>) -> Self {
        let script: BTreeMap<String, Answer> =
            script.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let endpoint = format!("http://{}", listener.local_addr().expect("an address"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let log2 = log.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let script = script.clone();
                let log = log2.clone();
                std::thread::spawn(move || serve(conn, &script, &log));
            }
        });
        Self { endpoint, log }
    }

    /// The actions received, in order.
    pub fn actions(&self) -> Vec<String> {
        self.log
            .lock()
            .map(|l| l.iter().map(|r| r.action.clone()).collect())
            .unwrap_or_default()
    }

    /// The requests received.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

fn serve(conn: TcpStream, script: &BTreeMap<String, Answer>, log: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut conn = conn;
    loop {
        let mut headers = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            headers.push_str(&line);
        }
        let len = headers
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        let action = body
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or_else(|| headers.lines().next().unwrap_or(""))
            .to_owned();
        let answer = script
            .get(&action)
            .cloned()
            .unwrap_or_else(|| error_xml("ValidationError", "Stack with id x does not exist"));
        if let Ok(mut l) = log.lock() {
            l.push(Request {
                action,
                headers,
                body,
            });
        }
        let reply = format!(
            "HTTP/1.1 {} X\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{}",
            answer.status,
            answer.body.len(),
            answer.body
        );
        if conn.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// A port that accepts connections and never answers; kept open while the value lives.
pub struct Silent {
    pub endpoint: String,
    _held: Arc<Mutex<Vec<TcpStream>>>,
}

impl Silent {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let endpoint = format!("http://{}", listener.local_addr().expect("an address"));
        let held = Arc::new(Mutex::new(Vec::new()));
        let h = held.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                if let Ok(mut v) = h.lock() {
                    v.push(conn);
                }
            }
        });
        Self {
            endpoint,
            _held: held,
        }
    }
}

/// An endpoint on a loopback port with nothing listening.
pub fn closed_port() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    format!("http://127.0.0.1:{port}")
}

/// The `nephos` binary with a clean environment: no profile files, test credentials,
/// us-east-1, and `endpoint` for every service.
pub fn nephos(endpoint: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nephos"));
    c.env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "AKIAENVTEST")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .current_dir(root());
    c
}

/// What a run printed.
pub struct Run {
    pub code: i32,
    pub out: String,
    pub err: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs the binary and collects its output.
pub fn run(mut c: Command, args: &[&str]) -> Run {
    c.args(args).output().expect("nephos runs").into()
}

/// Runs `nephos ARGS` in-process against `endpoint`, with each call bounded by `bound`.
pub async fn in_process(endpoint: &str, bound: Duration, args: &[&str]) -> Run {
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
            aws: AwsSettings {
                region: Some("us-east-1".into()),
                profile: None,
                endpoint_url: Some(endpoint.into()),
                max_attempts: None,
                static_credentials: Some(("testing".into(), "testing".into())),
                call_timeout: Some(bound),
            },
            backends: None,
            poll: PollPolicy {
                initial: Duration::from_millis(20),
                max: Duration::from_millis(100),
            },
            retry: RetryPolicy::SDK,
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

/// A scratch directory under the target directory, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// A valid one-queue template.
pub const QUEUE: &str = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#;

/// Writes an assembly with `manifest` (JSON text) and a queue template `A.template.json`.
pub fn assembly(name: &str, manifest: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("manifest.json"), manifest).expect("manifest written");
    std::fs::write(dir.join("A.template.json"), QUEUE).expect("template written");
    dir
}

/// Asserts the run failed with exit 1 and one error line holding every word of `words`.
pub fn assert_refused(r: &Run, words: &[&str]) {
    assert_eq!(r.code, 1, "exit code; stdout: {} stderr: {}", r.out, r.err);
    let line = r
        .err
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line in {:?}", r.err));
    for w in words {
        assert!(line.contains(w), "{w:?} not in {line:?}");
    }
    assert!(
        !r.err.contains("DispatchFailure")
            && !r.err.contains("ConstructionFailure")
            && !r.err.contains(" { "),
        "a Debug dump: {}",
        r.err
    );
}

//! `nephos watch --hotswap --logs` end to end on the emulator: the real binary watches a
//! project whose app (a small script writing a cloud assembly with the handler zipped as an
//! asset) is deployed at start; an edit of the handler's source is hotswapped through the
//! Lambda API with no stack update (the stack's `LastUpdatedTime` and events unchanged, the
//! function's `CodeSha256` changed); a line in the function's log group is shown prefixed
//! with its logical ID; Ctrl-C ends watching with exit code 0.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::Moto;

const STACK: &str = "watch-e2e";

/// The app: zips `handler/index.py` deterministically, names it by its hash and writes a
/// template and a manifest referring to it (what a nephos app with a directory asset
/// writes). A script, so the test does not wait on cargo.
const APP: &str = r#"
import hashlib, io, json, os, zipfile
out = os.environ["NEPHOS_OUTDIR"]
os.makedirs(out, exist_ok=True)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    info = zipfile.ZipInfo("index.py", date_time=(1980, 1, 1, 0, 0, 0))
    z.writestr(info, open("handler/index.py", "rb").read())
data = buf.getvalue()
sha = hashlib.sha256(data).hexdigest()
open(os.path.join(out, sha + ".zip"), "wb").write(data)
key = "assets/" + sha + ".zip"
template = {"Resources": {
  "HandlerRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
    "Principal": {"Service": "lambda.amazonaws.com"}}]}}},
  "Handler": {"Type": "AWS::Lambda::Function", "Properties": {
    "Code": {"S3Bucket": {"Fn::Sub": "nephos-staging-${AWS::AccountId}-${AWS::Region}"}, "S3Key": key},
    "Handler": "index.handler", "Runtime": "python3.12",
    "Role": {"Fn::GetAtt": ["HandlerRole", "Arn"]}}}}}
json.dump(template, open(os.path.join(out, "App.template.json"), "w"))
json.dump({"version": 1, "stacks": [{"id": "App", "stackName": "watch-e2e",
  "templateFile": "App.template.json",
  "assets": [{"sha256": sha, "path": sha + ".zip", "objectKey": key}]}]},
  open(os.path.join(out, "manifest.json"), "w"))
"#;

/// The watching process: killed (and reaped) on every way out of the test.
struct Watching {
    child: Child,
    lines: Receiver<(Instant, String)>,
    seen: Vec<String>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    /// Waits up to `limit` for a line containing `text`; returns when it came.
    fn wait_for(&mut self, text: &str, limit: Duration) -> Instant {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, line)) => {
                    let found = line.contains(text);
                    self.seen.push(line);
                    if found {
                        return at;
                    }
                }
                Err(_) => panic!(
                    "no line with {text:?} within {limit:?}; the output:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Watching {
    /// Waits up to `limit` until each of `texts` has come in a line, in any order: lines
    /// from stdout and stderr arrive through two pipes, so their relative order is not kept.
    fn wait_for_each(&mut self, texts: &[&str], limit: Duration) {
        let deadline = Instant::now() + limit;
        let mut missing: Vec<&str> = texts.to_vec();
        while !missing.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((_, line)) => {
                    missing.retain(|t| !line.contains(t));
                    self.seen.push(line);
                }
                Err(_) => panic!(
                    "no line with {missing:?} within {limit:?}; the output:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

fn start(moto: &Moto, project: &Path) -> Watching {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nephos"))
        .args([
            "watch",
            "--hotswap",
            "--logs",
            "--require-approval",
            "never",
        ])
        .current_dir(project)
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("NEPHOS_APP")
        .env_remove("NEPHOS_ENV")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nephos watch starts");
    let (tx, rx) = mpsc::channel();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send((Instant::now(), line)).is_err() {
                    return;
                }
            }
        });
    }
    Watching {
        child,
        lines: rx,
        seen: Vec::new(),
    }
}

struct Seen {
    updated: Option<String>,
    events: usize,
    sha: String,
    name: String,
}

async fn seen(moto: &Moto) -> Seen {
    let c = moto.clients().await;
    let stack = c
        .cfn
        .0
        .describe_stacks()
        .stack_name(STACK)
        .send()
        .await
        .unwrap();
    let events = c
        .cfn
        .0
        .describe_stack_events()
        .stack_name(STACK)
        .send()
        .await
        .unwrap();
    let resources = c
        .cfn
        .0
        .describe_stack_resources()
        .stack_name(STACK)
        .send()
        .await
        .unwrap();
    let name = resources
        .stack_resources()
        .iter()
        .find(|r| r.logical_resource_id() == Some("Handler"))
        .and_then(|r| r.physical_resource_id())
        .expect("the function was created")
        .to_owned();
    let f = c
        .lambda
        .0
        .0
        .get_function_configuration()
        .function_name(&name)
        .send()
        .await
        .unwrap();
    Seen {
        updated: stack.stacks()[0].last_updated_time().map(|t| t.to_string()),
        events: events.stack_events().len(),
        sha: f.code_sha256().unwrap_or_default().to_owned(),
        name,
    }
}

fn project() -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("watch-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("handler")).unwrap();
    std::fs::write(dir.join("nephos.json"), r#"{"app": "python3 app.py"}"#).unwrap();
    std::fs::write(dir.join("app.py"), APP).unwrap();
    std::fs::write(
        dir.join("handler/index.py"),
        "def handler(event, context):\n    return 'v1'\n",
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn watch_hotswaps_an_edited_handler_without_a_stack_update_and_shows_its_logs() {
    let moto = Moto::start();
    moto.nephos(&["bootstrap", "--yes"]).await.expect(0);
    let dir = project();
    let mut w = start(&moto, &dir);
    w.wait_for("watch: first deploy", Duration::from_secs(60));
    w.wait_for(
        "hotswap not possible (the stack watch-e2e does not exist yet)",
        Duration::from_secs(60),
    );
    w.wait_for("watch: done in", Duration::from_secs(180));
    w.wait_for("watch: watching for changes", Duration::from_secs(30));
    let before = seen(&moto).await;

    // The edit: saved once, as an editor would.
    let saved = Instant::now();
    std::fs::write(
        dir.join("handler/index.py"),
        "def handler(event, context):\n    return 'v2'\n",
    )
    .unwrap();
    w.wait_for("watch: changed: handler/index.py", Duration::from_secs(30));
    let swapped = w.wait_for("hotswapped 1 function in", Duration::from_secs(60));
    eprintln!(
        "watch: file saved -> hotswap finished on moto: {:.3} s",
        swapped.duration_since(saved).as_secs_f64()
    );
    w.wait_for("watch: watching for changes", Duration::from_secs(30));
    let after = seen(&moto).await;
    assert_eq!(after.name, before.name);
    assert_ne!(after.sha, before.sha, "the code was not updated");
    assert_eq!(after.updated, before.updated, "the stack was updated");
    assert_eq!(after.events, before.events, "the stack has new events");
    assert!(
        w.seen.iter().any(|l| l.contains("Handler (Code)")),
        "{}",
        w.seen.join("\n")
    );

    // --logs: a line in the function's log group (the emulator cannot run the function)
    // is shown with the function's logical ID, escaped.
    let c = moto.clients().await;
    let group = format!("/aws/lambda/{}", after.name);
    let _ = c
        .logs
        .0
        .0
        .create_log_group()
        .log_group_name(&group)
        .send()
        .await;
    c.logs
        .0
        .0
        .create_log_stream()
        .log_group_name(&group)
        .log_stream_name("s1")
        .send()
        .await
        .unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default();
    c.logs
        .0
        .0
        .put_log_events()
        .log_group_name(&group)
        .log_stream_name("s1")
        .log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(now)
                .message("v2 says hello \u{1b}[2J\n")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    w.wait_for("[Handler] ", Duration::from_secs(30));
    let line = w.seen.last().cloned().unwrap_or_default();
    assert!(line.contains(" v2 says hello "), "{line}");
    assert!(!line.contains('\u{1b}'), "{line:?}");

    // nephos.json is read again before each run: an edit that every command would refuse
    // stops the run before anything is deployed, rather than being ignored (atk15 E).
    std::fs::write(
        dir.join("nephos.json"),
        r#"{"app": "python3 app.py", "bogus": 1}"#,
    )
    .unwrap();
    // The error goes to stderr and the prompt to stdout: two pipes, so either may come first.
    w.wait_for_each(
        &["bogus", "watch: watching for changes"],
        Duration::from_secs(30),
    );
    assert_eq!(seen(&moto).await.events, after.events, "a run deployed");

    // Ctrl-C while idle ends watching cleanly.
    let pid = i32::try_from(w.child.id()).unwrap();
    // SAFETY: sending a signal to our own child process by its pid.
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = w.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "watch did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{}", w.seen.join("\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

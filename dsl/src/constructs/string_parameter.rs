//! [`StringParameter`]: an SSM Parameter Store `String` parameter (configuration, not
//! secrets: CloudFormation cannot create a `SecureString`; use a
//! [`Secret`](crate::constructs::Secret) for those).

use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::kinds::{SsmParameterArn, SsmParameterName};
use crate::ssm::ParameterHandle;
use crate::ssm::parameter::{DataType, Tier, Type};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::PropsBuilder;
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// Bytes a `Standard` parameter's value may hold; an `Advanced` one holds 8 KB (AWS
/// Systems Manager User Guide, "Managing parameter tiers").
const STANDARD_MAX_BYTES: usize = 4 * 1024;
/// Bytes an `Advanced` parameter's value may hold.
const ADVANCED_MAX_BYTES: usize = 8 * 1024;

/// An SSM `String` parameter with a literal name (or one CloudFormation makes), whose
/// ARN is built from the name, so grants name exactly this parameter.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime, StringParameter};
/// let mut stack = Stack::new("App");
/// let url = stack.add("ApiUrl", StringParameter::new("https://api.example.com").name("/app/api/url"));
/// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("..."))
///     .env("URL_PARAMETER", url.name()));
/// url.grant_read(&mut stack, &f);
/// let t = stack.synth().unwrap();
/// let grants = t.json()["Resources"]["ApiRole"]["Properties"]["Policies"][0].to_string();
/// assert!(grants.contains(":parameter/app/api/url"), "{grants}");
///
/// let mut stack = Stack::new("App");
/// stack.add("Bad", StringParameter::new("x").name("app/url"));
/// assert!(stack.synth().unwrap_err().to_string().contains("does not begin with one"));
/// ```
///
/// The construct holds the generated `AWS::SSM::Parameter` builder: options write into
/// it, and [`configure`](StringParameter::configure) reaches every property but `Name`
/// and `Type`.
#[derive(Clone, Debug)]
pub struct StringParameter {
    /// The builder and the hatch (no removal policy: CloudFormation's defaults apply).
    parameter: Wrapped<crate::ssm::Parameter>,
    name: Option<String>,
}

impl StringParameter {
    /// A `String` parameter holding `value` (1 byte to 4 KB; 8 KB with the
    /// `Advanced` tier).
    pub fn new(value: impl IntoValue<Str>) -> Self {
        StringParameter {
            parameter: Wrapped::new(crate::ssm::Parameter::new(Type::String, value)),
            name: None,
        }
    }

    /// The parameter's name: `url`, or `/app/api/url` in a hierarchy (a name with a
    /// `/` begins with one). Without a name CloudFormation makes one.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.parameter = self.parameter.set(|p| p.name(name.clone()));
        self.name = Some(name);
        self
    }

    /// What the parameter is for.
    pub fn description(mut self, text: impl IntoValue<Str>) -> Self {
        self.parameter = self.parameter.set(|p| p.description(text));
        self
    }

    /// The storage tier (`Standard` unless set).
    pub fn tier(mut self, tier: Tier) -> Self {
        self.parameter = self.parameter.set(|p| p.tier(tier));
        self
    }

    /// A regular expression every value must match (SSM checks it on each write); a
    /// literal value it does not match is a synth error.
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        let pattern = pattern.into();
        self.parameter = self.parameter.set(|p| p.allowed_pattern(pattern));
        self
    }

    /// What the value is: `text` unless set, or an AMI ID that SSM validates.
    pub fn data_type(mut self, data_type: DataType) -> Self {
        self.parameter = self.parameter.set(|p| p.data_type(data_type));
        self
    }

    /// Escape hatch to the generated `AWS::SSM::Parameter` builder: `f` sees it after
    /// the construct's options and may set any property but `Name` (the ARN grants use
    /// is built from it: use [`name`](StringParameter::name)) and `Type`.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::StringParameter;
    /// let mut stack = Stack::new("App");
    /// stack.add("Flag", StringParameter::new("on").configure(|l1| l1.insert_tags("team", "core")));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Flag"]["Properties"]["Tags"]["team"], "core");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::ssm::Parameter) -> crate::ssm::Parameter + Send + Sync + 'static,
    ) -> Self {
        self.parameter = self.parameter.configure(f);
        self
    }
}

/// The parameter's properties the construct derives from when added.
const OWNED: &[Owned] = &[
    Owned::new("Name", "name", "the parameter's ARN, which grants name"),
    Owned::fixed(
        "Type",
        "a `String` parameter (CloudFormation cannot create a `SecureString`)",
        "use a generated `nephos::ssm::Parameter` for a `StringList`",
    ),
];

impl Construct for StringParameter {
    type Handle = StringParameterRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> StringParameterRef {
        let ready = self.parameter.prepare(stack, id, OWNED, |p| p);
        let p = ready.builder();
        if let Some(name) = &self.name {
            let problems = grants::parameter::name_problems(name);
            if !problems.is_empty() {
                stack.problem(Diagnostic::error(
                    Location::property(id, "Name"),
                    format!(
                        "the name `{}` of parameter `{id}` {}",
                        name.escape_debug(),
                        problems.join("; ")
                    ),
                    "name it with letters, digits and `_.-/`, beginning with `/` when it has one (`/app/api/url`), not beginning with `aws` or `ssm`",
                ));
            }
        }
        if let Some(serde_json::Value::String(value)) = p.props().get_json("Value") {
            let advanced = matches!(
                p.props().get_json("Tier"),
                Some(serde_json::Value::String(t)) if t == "Advanced" || t == "Intelligent-Tiering"
            );
            let max = if advanced {
                ADVANCED_MAX_BYTES
            } else {
                STANDARD_MAX_BYTES
            };
            if value.is_empty() || value.len() > max {
                stack.problem(Diagnostic::error(
                    Location::property(id, "Value"),
                    format!(
                        "the value of parameter `{id}` is {} bytes long, but its tier holds 1 to {max}",
                        value.len()
                    ),
                    "give a value of at least one byte; above 4 KB set `.tier(Tier::Advanced)` (up to 8 KB); larger belongs in S3",
                ));
            }
        }
        value_pattern_problem(stack, id, p.props());
        let handle = ready.add_to(stack).handle;
        let arn = match &self.name {
            Some(name) => grants::parameter::arn_of_name(name),
            // CloudFormation's own names (`CFN-<id>-<random>`) have no leading `/`.
            None => crate::sub!(
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${name}",
                name = handle.name()
            )
            .cast(),
        };
        StringParameterRef {
            parameter: handle,
            arn,
        }
    }
}

/// Records a synth error when the literal value does not match the literal
/// `AllowedPattern` anywhere: SSM refuses such a value at `PutParameter`, so the create
/// would fail at deploy. SSM's patterns are Java regexes, read here with their Java
/// meaning ([`java_pattern`]): one this crate's matcher cannot compile, or that runs
/// past its backtracking limit, is left to SSM (no false error).
fn value_pattern_problem(stack: &mut Stack, id: &str, props: &crate::stack::props::Props) {
    let (Some(serde_json::Value::String(value)), Some(serde_json::Value::String(pattern))) =
        (props.get_json("Value"), props.get_json("AllowedPattern"))
    else {
        return;
    };
    let Some(rust) = java_pattern(&pattern, &value) else {
        return;
    };
    let Ok(re) = fancy_regex::Regex::new(&rust) else {
        return;
    };
    if let Ok(false) = re.is_match(&value) {
        stack.problem(Diagnostic::error(
            Location::property(id, "Value"),
            format!(
                "the value of parameter `{id}` does not match its own allowed pattern `{}`, so SSM would refuse it",
                pattern.escape_debug()
            ),
            "give a value the pattern matches, or widen `allowed_pattern`",
        ));
    }
}

/// The Java `pattern` in fancy-regex syntax with Java's meaning, for matching `value`;
/// `None` where this cannot be told (the check is then left to SSM).
///
/// Java's classes are ASCII unless the pattern asks otherwise (`java.util.regex.Pattern`:
/// `\d` is `[0-9]`, `\s` is `[ \t\n\x0B\f\r]`, `\w` is `[a-zA-Z_0-9]`, the POSIX
/// `\p{Alpha}` and the like are US-ASCII only; `(?i)` folds ASCII letters only), where
/// fancy-regex's are Unicode: each is written as its ASCII class. What has no exact
/// translation makes this `None`: a negated class escape inside a class (`[^\D]`), the
/// `U` flag (Java's Unicode classes, fancy-regex's swapped greed), and, for a value or
/// pattern with characters outside ASCII, `\b`, `\B` and `(?i)`; and for a value holding
/// a line terminator `.` does not take in Java but does in fancy-regex (`\r`, U+0085,
/// U+2028, U+2029), any pattern; and `[:` (Java's `[[:digit:]]` is a class of five
/// characters, fancy-regex's a POSIX class).
///
/// Java's `$` (without `MULTILINE`) and `\Z` match at the end of the input and also
/// before a final line terminator (`java.util.regex.Pattern`, "Line terminators"), where
/// fancy-regex's `$` matches only at the end and its `\Z` before any number of final
/// newlines: both are written `(?=\n?\z)` (the other terminators make this `None`
/// above). A pattern turning `MULTILINE` on (`(?m)`) and using `$` is left to SSM.
fn java_pattern(pattern: &str, value: &str) -> Option<String> {
    if value.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return None;
    }
    let ascii = value.is_ascii() && pattern.is_ascii();
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut depth = 0usize;
    let mut i = 0;
    // Java's end of input or before a final line terminator (`\n`, the others refused).
    const JAVA_END: &str = r"(?=\n?\z)";
    let (mut multiline, mut dollar) = (false, false);
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let e = *chars.get(i)?;
                i += 1;
                let class = |set: &str, negated: bool| -> Option<String> {
                    match (depth > 0, negated) {
                        (true, true) => None,
                        (true, false) => Some(set.to_string()),
                        (false, true) => Some(format!("[^{set}]")),
                        (false, false) => Some(format!("[{set}]")),
                    }
                };
                let set = match e.to_ascii_lowercase() {
                    'd' => Some("0-9"),
                    's' => Some(r" \t\n\x0B\f\r"),
                    'w' => Some("a-zA-Z_0-9"),
                    _ => None,
                };
                if let Some(set) = set {
                    out.push_str(&class(set, e.is_ascii_uppercase())?);
                } else if e == 'p' || e == 'P' {
                    // `\p{Name}`: the POSIX names are ASCII; others (`\p{L}`) pass as they are.
                    let posix = if chars.get(i) == Some(&'{') {
                        let end = chars[i..].iter().position(|&c| c == '}')? + i;
                        let name: String = chars[i + 1..end].iter().collect();
                        posix_class(&name).map(|set| (set, end + 1))
                    } else {
                        None
                    };
                    match posix {
                        Some((set, next)) => {
                            out.push_str(&class(set, e == 'P')?);
                            i = next;
                        }
                        None => {
                            out.push('\\');
                            out.push(e);
                        }
                    }
                } else if (e == 'b' || e == 'B') && !ascii {
                    return None;
                } else if e == 'Z' && depth == 0 {
                    out.push_str(JAVA_END);
                } else {
                    out.push('\\');
                    out.push(e);
                }
            }
            '[' => {
                // Java reads `[[:digit:]]` as a class of five characters, fancy-regex as
                // a POSIX class.
                if chars[i..].starts_with(&[':']) || chars[i..].starts_with(&['^', ':']) {
                    return None;
                }
                depth += 1;
                out.push(c);
                // A `]` first in a class (after `^`) is a literal in Java.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str(r"\]");
                    i += 1;
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            '(' if depth == 0 && chars.get(i) == Some(&'?') => {
                let flags: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic() || **c == '-')
                    .collect();
                if flags.contains('U') || (flags.contains('i') && !ascii) {
                    return None;
                }
                multiline |= flags.split('-').next().is_some_and(|on| on.contains('m'));
                out.push(c);
            }
            '$' if depth == 0 => {
                dollar = true;
                out.push_str(JAVA_END);
            }
            _ => out.push(c),
        }
    }
    if multiline && dollar {
        return None;
    }
    Some(out)
}

/// The US-ASCII set of Java's POSIX class `\p{name}` (`java.util.regex.Pattern`, "POSIX
/// character classes (US-ASCII only)"), written for a character class.
fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x00-\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => r"!-/\x3A-@\[-`{-~",
        "Graph" => r"!-~",
        "Print" => r" -~",
        "Blank" => r" \t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => r" \t\n\x0B\f\r",
        _ => return None,
    })
}

/// A parameter added to a stack.
#[derive(Clone, Debug)]
pub struct StringParameterRef {
    parameter: ParameterHandle,
    arn: Value<SsmParameterArn>,
}

impl StringParameterRef {
    /// The parameter's name (its `Ref`).
    pub fn name(&self) -> Value<SsmParameterName> {
        self.parameter.name()
    }

    /// The parameter's ARN, built from its name.
    pub fn arn(&self) -> Value<SsmParameterArn> {
        self.arn.clone()
    }

    /// The value, read when the stack is deployed (`Fn::GetAtt Value`).
    pub fn value(&self) -> Value<crate::kinds::SsmParameterValue> {
        self.parameter.value()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &ParameterHandle {
        &self.parameter
    }

    /// What grants on the parameter are on: its ARN.
    pub fn grant_target(&self) -> Target {
        Target::of("parameter", &self.parameter, self.arn.clone()).encrypted_with(None)
    }

    /// Lets `grantee` read the parameter (`ssm:GetParameter`, `GetParameters`,
    /// `GetParameterHistory`), on this parameter only.
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::parameter::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` write new values (`ssm:PutParameter`), on this parameter only.
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::parameter::write(stack, grantee, &self.grant_target())
    }
}

impl Handle for StringParameterRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.parameter.resource_ref()
    }
}

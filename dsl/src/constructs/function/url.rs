//! Function URLs: an HTTPS endpoint of a function (or of an alias), with the
//! resource-based permissions a public one needs.

use crate::constructs::wiring::place;
use crate::kinds::LambdaFunctionArn;
use crate::lambda::permission::FunctionUrlAuthType;
use crate::lambda::url::AuthType;
use crate::lambda::{AliasHandle, Permission, Url, UrlHandle};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// The methods a [`UrlCors`] allows (`GET`, `PUT`, ... or `*`).
pub use crate::lambda::url::AllowMethods as UrlMethod;
/// The cross-origin settings of a function URL: the generated
/// `AWS::Lambda::Url.Cors`, whose methods are typed and whose lists and `MaxAge`
/// (0 to 86,400 s) the schema bounds, checked at synth.
pub use crate::lambda::url::Cors as UrlCors;

/// Who may call a function URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlAuth {
    /// Only IAM principals with `lambda:InvokeFunctionUrl` (SigV4-signed requests); grant
    /// it with `grant_invoke_url`.
    Iam,
    /// Anyone on the internet: the function checks requests itself. nephos adds the two
    /// public permissions Lambda needs (`lambda:InvokeFunctionUrl` with
    /// `FunctionUrlAuthType` `NONE`, and `lambda:InvokeFunction` only through the URL).
    None,
}

/// A function URL's options.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, FunctionUrlOptions, Runtime, UrlAuth, UrlCors, UrlMethod};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// f.url(&mut stack, FunctionUrlOptions {
///     auth: UrlAuth::None,
///     cors: Some(UrlCors::new().allow_origins(vec!["https://example.com"]).allow_methods(vec![UrlMethod::Get])),
/// });
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["ApiUrl"]["Properties"]["AuthType"], "NONE");
/// assert_eq!(t.json()["Resources"]["ApiUrlPermission"]["Properties"]["FunctionUrlAuthType"], "NONE");
/// ```
#[derive(Clone, Debug)]
pub struct FunctionUrlOptions {
    /// Who may call it.
    pub auth: UrlAuth,
    /// Cross-origin settings, if browsers on other origins call it.
    pub cors: Option<UrlCors>,
}

impl FunctionUrlOptions {
    /// IAM-authorized, no CORS.
    pub fn iam() -> Self {
        FunctionUrlOptions {
            auth: UrlAuth::Iam,
            cors: None,
        }
    }
}

/// Why the public permissions carry a wildcard principal (the security check's
/// suppression reason, written into the template).
const PUBLIC_REASON: &str = "a public function URL, chosen with `UrlAuth::None`";

/// Adds the URL `<owner>Url` of `function_arn` (of the alias `alias`, given by its name
/// and handle, when given), and for [`UrlAuth::None`] the permissions `<owner>UrlPermission`
/// and `<owner>UrlInvokePermission` on the function or alias.
pub(super) fn add(
    stack: &mut Stack,
    owner: &ResourceRef,
    function_arn: Value<LambdaFunctionArn>,
    alias: Option<(&str, &AliasHandle)>,
    options: &FunctionUrlOptions,
) -> UrlHandle {
    let id = owner.logical_id().to_string();
    let auth = match options.auth {
        UrlAuth::Iam => AuthType::AwsIam,
        UrlAuth::None => AuthType::None,
    };
    let mut url = Url::new(auth, function_arn.clone());
    if let Some((name, _)) = alias {
        url = url.qualifier(name.to_string());
    }
    if let Some(cors) = &options.cors {
        url = url.cors(cors.clone());
    }
    let handle = place(stack, &format!("{id}Url"), url, &[owner], "a function URL");
    if alias.is_some() {
        // The qualifier names the alias as text, so the URL must wait for it.
        stack.resource(&handle).depends_on(owner);
    }
    if options.auth == UrlAuth::None {
        // A permission on an alias names the alias's (qualified) ARN.
        let target: Value<LambdaFunctionArn> = match &alias {
            Some((_, alias)) => alias.arn(),
            None => function_arn,
        };
        let url_permission = Permission::new("lambda:InvokeFunctionUrl", target.clone(), "*")
            .function_url_auth_type(FunctionUrlAuthType::None);
        // Since October 2025 a public URL also needs `lambda:InvokeFunction`, allowed
        // here only for calls through a function URL (AWS Lambda Developer Guide,
        // "Control access to Lambda function URLs").
        let invoke_permission =
            Permission::new("lambda:InvokeFunction", target, "*").invoked_via_function_url(true);
        for (suffix, permission) in [
            ("UrlPermission", url_permission),
            ("UrlInvokePermission", invoke_permission),
        ] {
            let p = place(
                stack,
                &format!("{id}{suffix}"),
                permission,
                &[owner],
                "a function URL permission",
            );
            // No `DependsOn` on an alias: the permission's `FunctionName` is the alias's
            // `Ref` (its ARN, from the handle), which already orders it after the alias (cfn-lint W3005 flags the
            // repeat). The URL above names the alias as text, so it needs one.
            stack
                .resource(&p)
                .suppress(crate::security::PRINCIPAL_WILDCARD, PUBLIC_REASON);
        }
    }
    handle
}

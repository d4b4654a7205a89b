//! Finding a function's log group from its deployed stack.
//!
//! The stack's resources give the function's physical ID (its name); the deployed template
//! says whether the function names a log group (`LoggingConfig.LogGroup`, as nephos's
//! `Function` does when its log group is not Lambda's default) or writes to Lambda's
//! default group, `/aws/lambda/<function name>` (AWS Lambda Developer Guide, "Sending
//! Lambda function logs to CloudWatch Logs"). Both answers come from AWS and are checked
//! against the API's patterns before they are used.

use serde_json::Value;

use crate::cfn::model::StackResource;
use crate::output::escape::escape_line;

/// The resource type of a Lambda function.
pub const FUNCTION_TYPE: &str = "AWS::Lambda::Function";
/// The resource type of a log group.
pub const LOG_GROUP_TYPE: &str = "AWS::Logs::LogGroup";

/// The function whose logs to show, and where they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The function's logical ID.
    pub logical_id: String,
    /// The log group's name.
    pub group: String,
}

/// Checks a function name (the physical ID of an `AWS::Lambda::Function`): 1 to 64
/// letters, digits, `-` and `_` (the Lambda API's `FunctionName` pattern for a name that
/// is not an ARN).
///
/// # Errors
/// When it is not such a name.
pub fn check_function_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a Lambda function name",
            escape_line(name)
        ))
    }
}

/// Checks a log group name: 1 to 512 of letters, digits and `_ - / . #` (the CloudWatch
/// Logs API's `LogGroupName` pattern `[\.\-_/#A-Za-z0-9]+`).
///
/// # Errors
/// When it is not such a name.
///
/// # Example
/// ```
/// use nephos_cli::logs::group::check_group_name;
/// assert!(check_group_name("/aws/lambda/orders-Handler-1A2B").is_ok());
/// assert!(check_group_name("/aws/lambda/x\u{1b}[2J").is_err());
/// ```
pub fn check_group_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 512
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/#".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a CloudWatch Logs group name",
            escape_line(name)
        ))
    }
}

/// Finds the log group of `function` (a logical ID; `None`: the stack's only function).
///
/// # Errors
/// No such function (naming the ones there are), several functions and none named, a
/// function not created yet, or a name from AWS that fails its check.
pub fn locate(
    stack: &str,
    resources: &[StackResource],
    template: &Value,
    function: Option<&str>,
) -> Result<Located, String> {
    let functions: Vec<&StackResource> = resources
        .iter()
        .filter(|r| r.resource_type == FUNCTION_TYPE)
        .collect();
    let names = || {
        let mut ids: Vec<String> = functions
            .iter()
            .map(|r| escape_line(&r.logical_id).into_owned())
            .collect();
        ids.sort();
        ids.join(", ")
    };
    let stack_shown = escape_line(stack);
    let chosen = match function {
        Some(id) => functions
            .iter()
            .find(|r| r.logical_id == id)
            .ok_or_else(|| {
                if functions.is_empty() {
                    no_function(&stack_shown)
                } else {
                    format!(
                        "stack {stack_shown} has no function `{}`; its functions: {} (function names are logical IDs, as in the template: `nephos logs {stack_shown} {}`)",
                        escape_line(id),
                        names(),
                        first(&functions)
                    )
                }
            })?,
        None => match functions.as_slice() {
            [only] => only,
            [] => return Err(no_function(&stack_shown)),
            _ => {
                return Err(format!(
                    "stack {stack_shown} has several functions: name one of {} (`nephos logs {stack_shown} {}`)",
                    names(),
                    first(&functions)
                ));
            }
        },
    };
    let logical_id = chosen.logical_id.clone();
    let shown_id = escape_line(&logical_id).into_owned();
    let configured = template
        .get("Resources")
        .and_then(|r| r.get(&logical_id))
        .and_then(|r| r.get("Properties"))
        .and_then(|p| p.get("LoggingConfig"))
        .and_then(|c| c.get("LogGroup"));
    let group = match configured {
        None => {
            let name = chosen.physical_id.as_deref().ok_or_else(|| {
                format!(
                    "function {shown_id} of stack {stack_shown} has not been created yet: see how the stack's deploy is going with `nephos status {stack_shown}`"
                )
            })?;
            check_function_name(name)?;
            format!("/aws/lambda/{name}")
        }
        Some(Value::String(g)) => g.clone(),
        Some(v) => match v.get("Ref").and_then(Value::as_str) {
            Some(target) => resources
                .iter()
                .find(|r| r.logical_id == target && r.resource_type == LOG_GROUP_TYPE)
                .and_then(|r| r.physical_id.clone())
                .ok_or_else(|| {
                    format!(
                        "function {shown_id} logs to {}, which is not a created log group of stack {stack_shown}",
                        escape_line(target)
                    )
                })?,
            None => {
                return Err(format!(
                    "function {shown_id} names its log group with an expression nephos does not resolve; read it with `aws lambda get-function-configuration`"
                ));
            }
        },
    };
    check_group_name(&group)?;
    Ok(Located { logical_id, group })
}

/// The stack has no function: what `logs` shows, and where to look instead.
fn no_function(stack_shown: &str) -> String {
    format!(
        "stack {stack_shown} has no Lambda function, and `nephos logs` shows a function's logs: list the stack's resources with `nephos status {stack_shown}`"
    )
}

/// The first function's logical ID in sorted order, for an example command.
fn first(functions: &[&StackResource]) -> String {
    functions
        .iter()
        .map(|r| escape_line(&r.logical_id).into_owned())
        .min()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::status::ResourceStatus;
    use serde_json::json;

    fn res(id: &str, ty: &str, physical: Option<&str>) -> StackResource {
        StackResource {
            logical_id: id.into(),
            physical_id: physical.map(Into::into),
            resource_type: ty.into(),
            status: ResourceStatus::CreateComplete,
        }
    }

    #[test]
    fn the_only_function_logs_to_lambdas_default_group() {
        let r = [res("Fn", FUNCTION_TYPE, Some("app-Fn-1AB"))];
        let l = locate("app", &r, &json!({"Resources": {"Fn": {}}}), None).unwrap();
        assert_eq!(l.group, "/aws/lambda/app-Fn-1AB");
    }

    #[test]
    fn a_logging_config_ref_names_the_stacks_log_group() {
        let r = [
            res("Fn", FUNCTION_TYPE, Some("app-Fn-1AB")),
            res("FnLogGroup", LOG_GROUP_TYPE, Some("app-FnLogGroup-9Z")),
        ];
        let t = json!({"Resources": {"Fn": {"Properties": {"LoggingConfig": {"LogGroup": {"Ref": "FnLogGroup"}}}}}});
        assert_eq!(
            locate("app", &r, &t, Some("Fn")).unwrap().group,
            "app-FnLogGroup-9Z"
        );
    }

    #[test]
    fn hostile_names_from_aws_are_refused() {
        let r = [res("Fn", FUNCTION_TYPE, Some("x\u{1b}[2J"))];
        let e = locate("app", &r, &json!({}), None).unwrap_err();
        assert!(
            e.contains("not a Lambda function name") && !e.contains('\u{1b}'),
            "{e}"
        );
        let t =
            json!({"Resources": {"Fn": {"Properties": {"LoggingConfig": {"LogGroup": "a b"}}}}});
        let r = [res("Fn", FUNCTION_TYPE, Some("ok"))];
        assert!(locate("app", &r, &t, None).is_err());
    }

    #[test]
    fn several_functions_need_a_name_and_an_unknown_one_lists_them() {
        let r = [
            res("B", FUNCTION_TYPE, Some("b")),
            res("A", FUNCTION_TYPE, Some("a")),
        ];
        assert!(
            locate("app", &r, &json!({}), None)
                .unwrap_err()
                .contains("name one of A, B")
        );
        assert!(
            locate("app", &r, &json!({}), Some("C"))
                .unwrap_err()
                .contains("its functions: A, B")
        );
        // Each refusal names the command that works.
        for e in [
            locate("app", &r, &json!({}), None).unwrap_err(),
            locate("app", &r, &json!({}), Some("C")).unwrap_err(),
        ] {
            assert!(e.contains("`nephos logs app A`"), "{e}");
        }
        let none = locate("app", &[], &json!({}), Some("C")).unwrap_err();
        assert!(none.contains("`nephos status app`"), "{none}");
        let uncreated = [res("A", FUNCTION_TYPE, None)];
        let e = locate("app", &uncreated, &json!({}), None).unwrap_err();
        assert!(e.contains("`nephos status app`"), "{e}");
    }
}

//! [`ImportedStateMachine`]: a Step Functions state machine outside the stack
//! (`StateMachine::from_arn`).

use crate::constructs::StateMachine;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{Arn, ImportError, imported};
use crate::kinds::StepFunctionsStateMachineArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

imported!(
    /// A Step Functions state machine outside the stack, known by ARN: grants to start
    /// it, and a target of rules and scheduled jobs (see the
    /// [module](crate::constructs::import) for what cannot be done with it).
    ImportedStateMachine,
    StepFunctionsStateMachineArn,
    StateMachine "state machine"
);

/// Whether `name` is a name Step Functions takes for a state machine, a version or an
/// alias (Step Functions API Reference, `CreateStateMachine` `name`: 1 to 80
/// characters, none of whitespace, `<>{}[]?*"#%\^|~`$&,;:/` or control characters).
fn is_name(name: &str) -> bool {
    (1..=80).contains(&name.chars().count())
        && name.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !"<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
        })
}

impl StateMachine {
    /// The state machine `arn` (`arn:aws:states:<region>:<account>:stateMachine:<name>`,
    /// with an optional `:<version or alias>`), checked: another service's ARN, an
    /// execution's or activity's ARN, or a name Step Functions refuses is an
    /// [`ImportError`].
    ///
    /// ```
    /// use nephos::constructs::StateMachine;
    /// assert!(StateMachine::from_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:orders").is_ok());
    /// assert!(StateMachine::from_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:orders:live").is_ok());
    /// assert!(StateMachine::from_arn("arn:aws:states:eu-west-1:123456789012:activity:orders").is_err());
    /// assert!(StateMachine::from_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:or ders").is_err());
    /// ```
    pub fn from_arn(arn: &str) -> Result<ImportedStateMachine, ImportError> {
        let parsed = Arn::parse("state machine", arn, "states")?;
        let Some(rest) = parsed.resource().strip_prefix("stateMachine:") else {
            return Err(ImportError::new(
                "state machine",
                arn,
                "its resource is not `stateMachine:<name>`",
            ));
        };
        let (name, qualifier) = match rest.split_once(':') {
            Some((n, q)) => (n, Some(q)),
            None => (rest, None),
        };
        if !is_name(name) || qualifier.is_some_and(|q| !is_name(q)) {
            return Err(ImportError::new(
                "state machine",
                arn,
                "its name (or version or alias) is not 1 to 80 characters without spaces, brackets, wildcards or `\"#%\\^|~`$&,;:/`",
            ));
        }
        Ok(ImportedStateMachine::from_value(Value::literal(arn)))
    }

    /// The state machine whose ARN is `arn`, a typed value: nothing is parsed.
    pub fn from_arn_value(arn: Value<StepFunctionsStateMachineArn>) -> ImportedStateMachine {
        ImportedStateMachine::from_value(arn)
    }
}

impl ImportedStateMachine {
    /// Lets `grantee` start executions (`states:StartExecution`), of this state machine
    /// only.
    pub fn grant_start_execution(
        &self,
        stack: &mut Stack,
        grantee: &impl Grantee,
    ) -> Option<Granted> {
        grants::state_machine::start_execution(stack, grantee, self.arn())
    }

    /// Lets `grantee` answer this state machine's tasks that wait for a task token
    /// (`wait_for_task_token`): `states:SendTaskSuccess`, `SendTaskFailure` and
    /// `SendTaskHeartbeat`, on this state machine only. Without it the worker's answer
    /// is refused and the execution waits until the task's timeout.
    pub fn grant_task_response(
        &self,
        stack: &mut Stack,
        grantee: &impl Grantee,
    ) -> Option<Granted> {
        grants::state_machine::task_response(stack, grantee, self.arn())
    }
}

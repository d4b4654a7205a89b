//! A scripted Lambda and staging bucket for the hotswap tests.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;

use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::lambda::{CodeLocation, ConfigUpdate, FunctionState, Lambda, UpdateStatus};

/// Answers `GetFunctionConfiguration` from a script (the last repeating); logs every call.
pub struct FakeLambda {
    pub states: Mutex<VecDeque<FunctionState>>,
    pub fail: Mutex<Option<(&'static str, CfnError)>>,
    pub calls: Mutex<Vec<String>>,
    /// Each function's drift marker (kept out of `calls`).
    pub markers: Mutex<std::collections::BTreeMap<String, String>>,
}

pub fn state(status: &str) -> FunctionState {
    FunctionState {
        last_update: UpdateStatus::parse(Some(status)),
        reason: (status == "Failed").then(|| "the code is not a zip".to_owned()),
        code_sha256: Some("c2hh".into()),
    }
}

impl FakeLambda {
    pub fn new(states: &[&str]) -> Self {
        Self {
            states: Mutex::new(states.iter().map(|s| state(s)).collect()),
            fail: Mutex::new(None),
            calls: Mutex::new(Vec::new()),
            markers: Mutex::new(std::collections::BTreeMap::new()),
        }
    }

    pub fn failing(self, call: &'static str) -> Self {
        *self.fail.lock().unwrap_or_else(|e| e.into_inner()) = Some((
            call,
            CfnError::new(ErrorKind::Other, "ResourceConflictException"),
        ));
        self
    }

    /// `call` answers `error`.
    pub fn failing_with(self, call: &'static str, error: CfnError) -> Self {
        *self.fail.lock().unwrap_or_else(|e| e.into_inner()) = Some((call, error));
        self
    }

    pub fn markers(&self) -> std::collections::BTreeMap<String, String> {
        self.markers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn log(&self, call: &'static str, detail: String) -> Result<(), CfnError> {
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("{call} {detail}"));
        match &*self.fail.lock().unwrap_or_else(|e| e.into_inner()) {
            Some((c, e)) if *c == call => Err(e.clone()),
            _ => Ok(()),
        }
    }
}

#[async_trait]
impl Lambda for FakeLambda {
    async fn update_function_code(&self, name: &str, code: &CodeLocation) -> Result<(), CfnError> {
        self.log("UpdateFunctionCode", format!("{name} {code:?}"))
    }

    async fn update_function_configuration(
        &self,
        name: &str,
        update: &ConfigUpdate,
    ) -> Result<(), CfnError> {
        self.log("UpdateFunctionConfiguration", format!("{name} {update:?}"))
    }

    async fn function_state(&self, name: &str) -> Result<Option<FunctionState>, CfnError> {
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("GetFunctionConfiguration {name}"));
        let mut q = self.states.lock().unwrap_or_else(|e| e.into_inner());
        let s = if q.len() > 1 {
            q.pop_front()
        } else {
            q.front().cloned()
        };
        Ok(s)
    }

    async fn drift_marker(&self, name: &str) -> Result<Option<String>, CfnError> {
        if let Some((c, e)) = &*self.fail.lock().unwrap_or_else(|e| e.into_inner())
            && *c == "GetFunction"
        {
            return Err(e.clone());
        }
        Ok(self.markers().get(name).cloned())
    }

    async fn set_drift_marker(&self, name: &str, value: Option<&str>) -> Result<(), CfnError> {
        if let Some((c, e)) = &*self.fail.lock().unwrap_or_else(|e| e.into_inner())
            && *c == "TagResource"
        {
            return Err(e.clone());
        }
        let mut m = self.markers.lock().unwrap_or_else(|e| e.into_inner());
        match value {
            Some(v) => m.insert(name.to_owned(), v.to_owned()),
            None => m.remove(name),
        };
        Ok(())
    }
}
